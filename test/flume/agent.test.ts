import { mkdir, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Agent } from "../../src/flume/agent/agent.ts";
import { agentConfigOf } from "../../src/flume/agent/agent-config.ts";
import { ChannelFullError } from "../../src/flume/agent/channel.ts";
import { FileChannel } from "../../src/flume/agent/file-channel.ts";
import { MemoryChannel } from "../../src/flume/agent/memory-channel.ts";
import { parseProperties } from "../../src/flume/agent/properties.ts";
import type { SpoolDirSource } from "../../src/flume/agent/spooldir/spooldir-source.ts";
import { removeDir, tempDir, until } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const ev = (s: string): { headers: Record<string, string>; body: Buffer } => ({ headers: {}, body: Buffer.from(s) });

describe("Flume properties and agent configuration", () => {
  it("parses Java properties: separators, comments, continuations, escapes", () => {
    const p = parseProperties([
      "# comment", "! also a comment", "a1.sources = r1", "a1.channels:c1", "a1.sinks k1",
      "  a1.sources.r1.spoolDir = /var/log/\\", "    apache", "key\\ with\\ spaces = x\\ty", "uni = \\u0041B", "empty =",
    ].join("\n"));
    expect(Object.fromEntries(p)).toEqual({
      "a1.sources": "r1", "a1.channels": "c1", "a1.sinks": "k1", "a1.sources.r1.spoolDir": "/var/log/apache",
      "key with spaces": "x\ty", uni: "AB", empty: "",
    });
  });

  it("builds the agent's components and names the key that is wrong", () => {
    const props = parseProperties([
      "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
      "a1.sources.r1.type = spooldir", "a1.sources.r1.channels = c1", "a1.sources.r1.spoolDir = /tmp",
      "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 1000",
      "a1.sinks.k1.type = avro", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = localhost", "a1.sinks.k1.port = 41414",
      "a2.sources = ignored",
    ].join("\n"));
    const config = agentConfigOf(props, "a1");
    expect(config.sources.map((s) => [s.name, s.type, s.channels])).toEqual([["r1", "spooldir", ["c1"]]]);
    expect(config.sinks[0]!.params.int("port", 0)).toBe(41414);
    expect(() => agentConfigOf(props, "a3")).toThrow(/no properties for agent 'a3'/);
    const bad = new Map(props);
    bad.set("a1.sinks.k1.channel", "c9");
    expect(() => agentConfigOf(bad, "a1")).toThrow(/a1\.sinks\.k1 uses channel 'c9'/);
    const badPort = new Map(props);
    badPort.set("a1.channels.c1.capacity", "lots");
    expect(() => new Agent(agentConfigOf(badPort, "a1"))).toThrow(/a1\.channels\.c1\.capacity must be an integer/);
    const noDir = new Map(props);
    noDir.delete("a1.sources.r1.spoolDir");
    expect(() => new Agent(agentConfigOf(noDir, "a1"))).toThrow(/a1\.sources\.r1\.spoolDir is required/);
  });
});

describe("channels", () => {
  it("memory channel: puts visible at commit, rollback returns takes to the head in order, capacity checked at commit", async () => {
    const c = new MemoryChannel("c1", 3, 2);
    const t1 = c.transaction();
    t1.put(ev("a"));
    t1.put(ev("b"));
    expect(() => t1.put(ev("x"))).toThrow(/transactionCapacity 2/);
    expect(c.size).toBe(0);
    await t1.commit();
    expect(c.size).toBe(2);
    const t2 = c.transaction();
    t2.put(ev("c"));
    t2.put(ev("d"));
    await expect(t2.commit()).rejects.toThrow(ChannelFullError);
    await t2.rollback();
    const t3 = c.transaction();
    expect(t3.take()!.body.toString()).toBe("a");
    expect(t3.take()!.body.toString()).toBe("b");
    await t3.rollback();
    const t4 = c.transaction();
    expect([t4.take(), t4.take()].map((e) => e?.body.toString() ?? null)).toEqual(["a", "b"]);
    expect(() => t4.take()).toThrow(/take list of the transaction \(transactionCapacity 2\) is full/);
    await t4.commit();
    expect(c.transaction().take()).toBeNull();
    expect(c.size).toBe(0);
  });

  it("file channel: committed puts survive a restart, committed takes do not come back, uncommitted takes do", async () => {
    const dir = await tempDir();
    cleanups.push(() => removeDir(dir));
    const open = async (): Promise<FileChannel> => { const f = new FileChannel("fc", 100, 10, join(dir, "data"), join(dir, "cp"), 4096); await f.start(); return f; };
    const c1 = await open();
    const put = c1.transaction();
    for (const s of ["a", "b", "c", "d"]) put.put(ev(s));
    await put.commit();
    const take = c1.transaction();
    take.take();
    await take.commit();
    const inFlight = c1.transaction();
    expect(inFlight.take()!.body.toString()).toBe("b");
    // Crash: no stop, no rollback.
    const c2 = await open();
    const all = c2.transaction();
    expect([all.take(), all.take(), all.take(), all.take()].map((e) => e?.body.toString() ?? null)).toEqual(["b", "c", "d", null]);
    await all.rollback();
    // Many commits: the log is rewritten past maxFileSize and still replays right.
    for (let i = 0; i < 200; i++) {
      const t = c2.transaction();
      t.put(ev(`n${i}`.repeat(10)));
      await t.commit();
      const u = c2.transaction();
      u.take();
      await u.commit();
    }
    await c2.stop();
    const c3 = await open();
    expect(c3.size).toBe(3);
    await c3.stop();
  });
});

function spoolConf(spool: string, extra: string[] = []): string {
  return [
    "a1.sources = r1", "a1.channels = c1", "a1.sinks = ",
    "a1.sources.r1.type = spooldir", "a1.sources.r1.channels = c1", `a1.sources.r1.spoolDir = ${spool}`,
    "a1.sources.r1.pollDelay = 20", "a1.sources.r1.batchSize = 3", "a1.sources.r1.basenameHeader = true",
    "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 1000",
    ...extra,
  ].join("\n");
}

function drain(agent: Agent): string[] {
  const c = agent.channels.get("c1")!;
  const out: string[] = [];
  for (;;) {
    const t = c.transaction();
    const e = t.take();
    void t.commit();
    if (e === null) return out;
    out.push(`${e.headers.basename ?? ""}:${e.body.toString()}`);
  }
}

describe("spooldir source", () => {
  it("reads files line by line in batches, oldest first, then renames them .COMPLETED", async () => {
    const spool = await tempDir();
    cleanups.push(() => removeDir(spool));
    await writeFile(join(spool, "b.log"), "b1\nb2\n");
    await utimes(join(spool, "b.log"), 2000, 2000);
    await writeFile(join(spool, "a.log"), "a1\na2\na3\na4\nlast-without-newline");
    await utimes(join(spool, "a.log"), 1000, 1000);
    await writeFile(join(spool, ".hidden"), "x\n");
    await writeFile(join(spool, "skip.tmp"), "x\n");
    const agent = Agent.fromProperties(spoolConf(spool, ["a1.sources.r1.ignorePattern = .*\\.tmp", "a1.sources.r1.deserializer.maxLineLength = 10"]), "a1");
    await agent.start();
    cleanups.push(() => agent.stop());
    const source = agent.sources[0] as SpoolDirSource;
    await until(() => source.filesCompleted, (n) => n === 2, 5000, "two completed files");
    expect(drain(agent)).toEqual(["a.log:a1", "a.log:a2", "a.log:a3", "a.log:a4", "a.log:last-witho", "a.log:ut-newline", "b.log:b1", "b.log:b2"]);
    expect((await readdir(spool)).sort()).toEqual([".flumespool", ".hidden", "a.log.COMPLETED", "b.log.COMPLETED", "skip.tmp"]);
    expect(await readdir(join(spool, ".flumespool"))).toEqual([]);
  });

  it("deletePolicy immediate deletes; a reused name and a file changed after pick-up are errors naming the file", async () => {
    const spool = await tempDir();
    cleanups.push(() => removeDir(spool));
    await writeFile(join(spool, "x.log"), "new content\n");
    await writeFile(join(spool, "x.log.COMPLETED"), "old content\n");
    const agent = Agent.fromProperties(spoolConf(spool), "a1");
    await agent.start();
    cleanups.push(() => agent.stop());
    const source = agent.sources[0] as SpoolDirSource;
    await until(() => source.failure, (f) => f !== null, 5000, "the source to fail");
    expect(source.failure!.message).toBe(`File name has been re-used with different files. Spooling assumptions violated for ${join(spool, "x.log.COMPLETED")}`);

    const spool2 = await tempDir();
    cleanups.push(() => removeDir(spool2));
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`).join("\n") + "\n";
    await writeFile(join(spool2, "grow.log"), lines);
    const agent2 = Agent.fromProperties(spoolConf(spool2, ["a1.channels.c1.capacity = 3", "a1.sources.r1.maxBackoff = 20"]), "a1");
    await agent2.start();
    cleanups.push(() => agent2.stop());
    const s2 = agent2.sources[0] as SpoolDirSource;
    await until(() => agent2.channels.get("c1")!.size, (n) => n === 3, 5000, "a full channel");
    await writeFile(join(spool2, "grow.log"), lines + "appended\n");
    await until(() => (drain(agent2), s2.failure), (f) => f !== null, 10_000, "the source to fail");
    expect(s2.failure!.message).toBe(`File has been modified since being read: ${join(spool2, "grow.log")}`);

    const spool3 = await tempDir();
    cleanups.push(() => removeDir(spool3));
    await mkdir(join(spool3, "sub"));
    await writeFile(join(spool3, "gone.log"), "1\n2\n");
    const agent3 = Agent.fromProperties(spoolConf(spool3, ["a1.sources.r1.deletePolicy = immediate", "a1.sources.r1.trackerDir = " + join(spool3, "tracker")]), "a1");
    await agent3.start();
    cleanups.push(() => agent3.stop());
    await until(() => (agent3.sources[0] as SpoolDirSource).filesCompleted, (n) => n === 1);
    expect((await readdir(spool3)).sort()).toEqual(["sub", "tracker"]);
    expect(drain(agent3)).toEqual(["gone.log:1", "gone.log:2"]);
  });

  it("resumes a file at the position of the last committed batch after a restart", async () => {
    const spool = await tempDir();
    const data = await tempDir();
    cleanups.push(() => removeDir(spool), () => removeDir(data));
    await writeFile(join(spool, "f.log"), "1\n2\n3\n4\n5\n6\n7\n");
    const conf = spoolConf(spool, ["a1.channels.c1.type = file", `a1.channels.c1.dataDirs = ${data}`, `a1.channels.c1.checkpointDir = ${data}/cp`, "a1.channels.c1.capacity = 4"]);
    const a1 = Agent.fromProperties(conf, "a1");
    await a1.start();
    // Capacity 4 and batches of 3: one batch gets in, the second waits for room.
    await until(() => a1.channels.get("c1")!.size, (n) => n === 3);
    await a1.stop();
    const tracker = JSON.parse(await readFile(join(spool, ".flumespool", ".flumespool-main.meta"), "utf8")) as { position: number };
    expect(tracker.position).toBe(6);
    const a2 = Agent.fromProperties(conf.replace("capacity = 4", "capacity = 100"), "a1");
    await a2.start();
    cleanups.push(() => a2.stop());
    await until(() => (a2.sources[0] as SpoolDirSource).filesCompleted, (n) => n === 1);
    expect(drain(a2).map((s) => s.split(":")[1])).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
  });
});
