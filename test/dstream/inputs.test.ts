import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { Receiver, Session, StreamingContext } from "../../src/index.ts";
import { waitFor } from "../wait-for.ts";
import { collect, manualContext, runBatches, sortPairs, tempDir, type Collected } from "./helpers.ts";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Advances one batch at a time (letting socket data arrive in between) until `done()` holds. */
async function advanceUntil(ssc: StreamingContext, done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await sleep(10);
    await ssc.advanceClock(1000);
    if (done()) return;
  }
  throw new Error(`gave up waiting for ${what}`);
}

const servers: Server[] = [];
const accepted: Socket[] = [];
afterEach(async () => {
  for (const socket of accepted.splice(0)) socket.destroy();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

function track(server: Server): Server {
  server.on("connection", (socket: Socket) => accepted.push(socket));
  servers.push(server);
  return server;
}

async function lineServer(): Promise<{ port: number; connections: Socket[] }> {
  const connections: Socket[] = [];
  const server = track(createServer((socket) => connections.push(socket)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, connections };
}

function countsOf(c: Collected<[string, number]>): Record<string, number> {
  return Object.fromEntries(c.last().filter(([, n]) => n !== 0));
}

describe("socketTextStream", () => {
  test("the issue's hashtag example: hashtag counts over a 300 s window from a real TCP server", async () => {
    const { port, connections } = await lineServer();
    const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
    const lines = ssc.socketTextStream("127.0.0.1", port);
    const hashtags = lines.flatMap((l) => l.split(" ")).filter((w) => w.startsWith("#")).map((h) => [h, 1] as [string, number]);
    const counts = hashtags.reduceByKeyAndWindow((x, y) => x + y, (x, y) => x - y, 300, 1);
    counts.print();
    const seen = collect(counts);
    ssc.checkpoint(await tempDir());
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    try {
      ssc.start();
      await advanceUntil(ssc, () => connections.length === 1, "the connection");
      connections[0]!.write("I love #spark and #rivulet\n#spark streams\r\nno tags here\n");
      await advanceUntil(ssc, () => countsOf(seen)["#spark"] === 2, "the first lines");
      expect(countsOf(seen)).toEqual({ "#spark": 2, "#rivulet": 1 });
      connections[0]!.write("#rivulet #rivulet #new\n");
      await advanceUntil(ssc, () => countsOf(seen)["#rivulet"] === 3, "the second lines");
      expect(countsOf(seen)).toEqual({ "#spark": 2, "#rivulet": 3, "#new": 1 });
      // Nothing leaves a 300 s window within a few batches.
      await runBatches(ssc, 3);
      expect(countsOf(seen)).toEqual({ "#spark": 2, "#rivulet": 3, "#new": 1 });
    } finally {
      spy.mockRestore();
      await ssc.stop();
    }
    const text = printed.join("");
    expect(text).toMatch(/-{43}\nTime: \d+ ms\n-{43}\n/);
    expect(text).toContain("(#spark,2)");
    expect(text).toContain("(#rivulet,3)");
  });

  test("a server that is not there yet: empty batches, then the lines once it listens", async () => {
    const probe = await lineServer();
    const port = probe.port;
    await new Promise((resolve) => servers.pop()!.close(resolve)); // the port is free again
    const ssc = manualContext();
    const got = collect(ssc.socketTextStream("127.0.0.1", port));
    ssc.start();
    await runBatches(ssc, 2);
    expect(got.batches.flat()).toEqual([]);
    const connections: Socket[] = [];
    const server = track(createServer((s) => { connections.push(s); s.write("late line\n"); }));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    // The receiver retries every 2 s (Spark's receiver restart delay).
    const start = Date.now();
    while (got.batches.flat().length === 0 && Date.now() - start < 10_000) {
      await sleep(100);
      await ssc.advanceClock(1000);
    }
    expect(got.batches.flat()).toEqual(["late line"]);
  }, 20_000);

  test("the server closes the connection: the receiver connects again about 2 s later (Spark's receiver restart) and keeps every line", async () => {
    const connectedAt: number[] = [];
    const server = track(createServer((s) => { connectedAt.push(Date.now()); s.end(`conn${connectedAt.length}-a\nconn${connectedAt.length}-b`); }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const ssc = manualContext();
    const got = collect(ssc.socketTextStream("127.0.0.1", (server.address() as AddressInfo).port));
    ssc.start();
    const start = Date.now();
    while (got.batches.flat().length < 6 && Date.now() - start < 20_000) {
      await sleep(100);
      await ssc.advanceClock(1000);
    }
    await ssc.stop();
    expect(got.batches.flat().slice(0, 6)).toEqual(["conn1-a", "conn1-b", "conn2-a", "conn2-b", "conn3-a", "conn3-b"]);
    const gaps = connectedAt.slice(1, 3).map((t, i) => t - connectedAt[i]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1900);
  }, 30_000);
});

describe("textFileStream", () => {
  test("reads files that appear after the start (not those already there), each once", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "old.txt"), "old 1\nold 2\n");
    const ssc = manualContext();
    const lines = collect(ssc.textFileStream(dir));
    ssc.checkpoint(await tempDir());
    ssc.start();
    await runBatches(ssc, 1);
    // Written under a hidden name and renamed, as Spark asks (a file must appear complete).
    await writeFile(join(dir, ".new.txt.tmp"), "new 1\nnew 2\n");
    await rename(join(dir, ".new.txt.tmp"), join(dir, "new.txt"));
    await runBatches(ssc, 2);
    await writeFile(join(dir, "third.txt"), "third\n");
    await runBatches(ssc, 1);
    expect(lines.batches).toEqual([[], ["new 1", "new 2"], [], ["third"]]);
  });

  test("after a restart from the checkpoint, files already read are not read again", async () => {
    const dir = await tempDir();
    const ckpt = await tempDir();
    const make = (out: string[][]) => (): StreamingContext => {
      const ssc = new StreamingContext(Session.builder().getOrCreate(), 1, { clock: "manual" });
      ssc.textFileStream(dir).foreachRDD((rdd) => { out.push(rdd.collect()); });
      return ssc;
    };
    const before: string[][] = [];
    const first = StreamingContext.getOrCreate(ckpt, make(before));
    first.start();
    await runBatches(first, 1);
    await writeFile(join(dir, "a.txt"), "a\n");
    await runBatches(first, 1);
    await first.stop();
    await writeFile(join(dir, "b.txt"), "b\n");
    const after: string[][] = [];
    const second = StreamingContext.getOrCreate(ckpt, make(after));
    second.start();
    await runBatches(second, 2);
    await second.stop();
    expect(before).toEqual([[], ["a"]]);
    expect(after).toEqual([["b"], []]);
  });
});

describe("receiverStream", () => {
  class Ticker extends Receiver<number> {
    readonly events: string[] = [];
    #timer: NodeJS.Timeout | undefined;
    #next = 0;
    /** Records stored so far. */
    get stored(): number { return this.#next; }
    onStart(): void {
      this.events.push("start");
      this.store(this.#next++);
      this.#timer = setInterval(() => this.store(this.#next++), 2);
    }
    onStop(): void {
      this.events.push("stop");
      clearInterval(this.#timer);
    }
  }

  test("records stored between two batch times form the next batch; stop() stops the receiver", async () => {
    const ssc = manualContext();
    const ticker = new Ticker();
    const got = collect(ssc.receiverStream(ticker));
    ssc.start();
    await ssc.advanceClock(0);
    expect(ticker.isStarted()).toBe(true);
    // Each batch time comes once the receiver has stored something after the previous one.
    await waitFor(() => ticker.stored, (n) => n > 0, "the receiver's first record");
    await runBatches(ssc, 1);
    const inFirst = got.batches[0]!.length;
    await waitFor(() => ticker.stored, (n) => n > inFirst, "a record after the first batch");
    await runBatches(ssc, 1);
    await ssc.stop();
    expect(ticker.events).toEqual(["start", "stop"]);
    expect(ticker.isStopped()).toBe(true);
    const all = got.batches.flat();
    expect(got.batches).toHaveLength(2);
    expect(got.batches[0]!.length).toBeGreaterThan(0);
    expect(got.batches[1]!.length).toBeGreaterThan(0);
    expect(all).toEqual(all.map((_, i) => i)); // nothing lost or repeated, in order
  });

  test("restart stops and starts the receiver again; reportError keeps it running; records before start() are an error", async () => {
    class Flaky extends Receiver<string> {
      readonly events: string[] = [];
      starts = 0;
      onStart(): void {
        this.starts++;
        this.events.push(`start ${this.starts}`);
        if (this.starts === 1) {
          this.store("first");
          this.reportError("a hiccup", new Error("hiccup"));
          this.restart("lost the connection", undefined, 5);
        } else {
          this.store("second");
        }
      }
      onStop(): void {
        this.events.push("stop");
      }
    }
    const flaky = new Flaky();
    expect(() => flaky.store("too early")).toThrow(/not part of a StreamingContext/);
    const ssc = manualContext();
    const got = collect(ssc.receiverStream(flaky));
    ssc.start();
    await ssc.advanceClock(0);
    await waitFor(() => flaky.starts, (n) => n === 2, "the receiver's restart (after its 5 ms delay)");
    await runBatches(ssc, 1);
    expect(flaky.events).toEqual(["start 1", "stop", "start 2"]);
    expect(got.batches).toEqual([["first", "second"]]);
  });

  test("a graceful stop processes what was received since the last batch", async () => {
    class Quiet extends Receiver<string> {
      onStart(): void {}
      onStop(): void {}
    }
    const ssc = manualContext();
    const receiver = new Quiet();
    const got = collect(ssc.receiverStream(receiver));
    ssc.start();
    await runBatches(ssc, 1);
    receiver.store("late"); // received after the last batch, before the stop
    await ssc.stop({ stopGracefully: true });
    expect(got.batches).toEqual([[], ["late"]]);
    expect(got.times).toEqual([1000, 2000]);
  });

  test("union of a receiver stream and a queue stream", async () => {
    class Fixed extends Receiver<string> {
      onStart(): void { this.store("from receiver"); }
      onStop(): void {}
    }
    const ssc = manualContext();
    const got = collect(ssc.union([ssc.receiverStream(new Fixed()), ssc.queueStream([["from queue"]])]));
    ssc.start();
    await runBatches(ssc, 1);
    expect(sortPairs(got.batches[0]!.map((s) => [s, 0] as [string, number])).map(([s]) => s)).toEqual(["from queue", "from receiver"]);
  });
});
