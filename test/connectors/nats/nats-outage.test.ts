import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { waitFor } from "../../wait-for.ts";
import { BlackholeProxy } from "../blackhole-proxy.ts";
import { ServerProcess, freePort } from "../server-process.ts";

/**
 * A private nats-server (own port, own store directory) stopped and started again under a
 * running query: the source and the sink wait for it, and the copy ends exact.
 */
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
const server = new ServerProcess("nats-server", "nats-server");

function startServer(port: number, store: string, auth: string[] = [], clientAuth: Record<string, string> = {}): Promise<void> {
  return server.start(["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", store, ...auth], async () => {
    try { await (await connect({ servers: `127.0.0.1:${port}`, ...clientAuth })).close(); return true; } catch { return false; }
  });
}

test.each(["SIGTERM", "SIGKILL"] as const)("a NATS server stopped (%s) mid-run is waited for: source and sink continue, nothing lost or doubled", async (signal) => {
  const port = await freePort();
  const store = await tmp("nats-outage-store");
  await startServer(port, store);
  const url = `nats://127.0.0.1:${port}`;
  const nc = await connect({ servers: url, maxReconnectAttempts: -1 });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "IN", subjects: ["in.>"] });
  await jsm.streams.add({ name: "OUT", subjects: ["out.>"] });
  const js = jetstream(nc);
  // The producer's own client reconnects too; a publish that times out meanwhile is sent again with its id.
  const publish = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      await waitFor(() => js.publish("in.x", `m${i}`, { msgID: `p${i}` }).then(() => true, () => false), (ok) => ok, `publishing m${i}`, 30_000, 100);
    }
  };
  await publish(0, 20);

  const query = spark.readStream.format("nats").options({ servers: url, stream: "IN", startingOffsets: "earliest", maxMessagesPerTrigger: "5" }).load()
    .selectExpr("value").writeStream.format("nats").options({ servers: url, subject: "out.copy" })
    .option("checkpointLocation", join(await tmp("nats-outage-ckpt"), "ckpt"))
    .trigger({ processingTime: "50 milliseconds" }).start();
  await waitFor(() => query.recentProgress.length, (n) => n >= 2, "two batches before the outage", 15_000, 20);
  await server.stop(signal);
  await new Promise((r) => setTimeout(r, 1500));
  expect(query.isActive).toBe(true);
  await startServer(port, store);
  await publish(20, 40);
  const count = async () => (await jsm.streams.info("OUT")).state.messages;
  await waitFor(count, (n) => n >= 40, "the copy of all 40 messages", 60_000, 100);
  expect(query.exception).toBeNull();
  await query.stop();
  const copied: string[] = [];
  for (let seq = 1; seq <= 40; seq++) copied.push((await jsm.streams.getMessage("OUT", { seq }))!.string());
  expect(copied).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
  expect(await count()).toBe(40);
  await nc.close();
}, 120_000);

test("a NATS server behind a connection that goes silent (no close, no reset) is not waited on for ever: requests time out, the client reconnects, nothing lost or doubled", async () => {
  const port = await freePort();
  await startServer(port, await tmp("nats-blackhole-store"));
  const proxy = await BlackholeProxy.start(port);
  try {
    const nc = await connect({ servers: `nats://127.0.0.1:${port}` });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "IN", subjects: ["in.>"] });
    await jsm.streams.add({ name: "OUT", subjects: ["out.>"] });
    const js = jetstream(nc);
    let produced = 0;
    const publish = async (n: number) => { for (let i = 0; i < n; i++, produced++) await js.publish("in.x", `m${produced}`); };
    await publish(20);
    const url = `nats://127.0.0.1:${proxy.port}`;
    const query = spark.readStream.format("nats").options({ servers: url, stream: "IN", startingOffsets: "earliest", maxMessagesPerTrigger: "5", timeoutMs: "1000" }).load()
      .selectExpr("value").writeStream.format("nats").options({ servers: url, subject: "out.copy", timeoutMs: "1000" })
      .option("checkpointLocation", join(await tmp("nats-blackhole-ckpt"), "ckpt"))
      .trigger({ processingTime: "50 milliseconds" }).start();
    await waitFor(() => query.recentProgress.length, (n) => n >= 2, "two batches before the partition", 15_000, 20);
    proxy.blackhole();
    await publish(10);
    await new Promise((r) => setTimeout(r, 2500));
    expect(query.isActive).toBe(true);
    const during = query.recentProgress.length;
    proxy.forward();
    await publish(10);
    const count = async () => (await jsm.streams.info("OUT")).state.messages;
    await waitFor(count, (n) => n >= 40, "the copy of all 40 messages", 60_000, 100);
    expect(query.recentProgress.length).toBeGreaterThan(during);
    expect(query.exception).toBeNull();
    await query.stop();
    const copied: string[] = [];
    for (let seq = 1; seq <= 40; seq++) copied.push((await jsm.streams.getMessage("OUT", { seq }))!.string());
    expect(copied).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
    expect(await count()).toBe(40);
    await nc.close();
  } finally {
    await proxy.close();
  }
}, 120_000);

test.each([
  ["user and password", ["--user", "reader", "--pass", "s3cret-pw"], { user: "reader", pass: "s3cret-pw" }, { user: "reader", password: "s3cret-pw" }, { user: "reader", password: "wrong-pw-9" }],
  ["token", ["--auth", "t0ken-abc"], { token: "t0ken-abc" }, { token: "t0ken-abc" }, { token: "wr0ng-t0ken" }],
] as const)("credentials as options (%s) authenticate source and sink, and are never printed", async (_, serverAuth, clientAuth, good, bad) => {
  const port = await freePort();
  await startServer(port, await tmp("nats-auth-store"), [...serverAuth], { ...clientAuth });
  const url = `nats://127.0.0.1:${port}`;
  const nc = await connect({ servers: url, ...clientAuth });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "IN", subjects: ["in.>"] });
  await jsm.streams.add({ name: "OUT", subjects: ["out.>"] });
  for (let i = 0; i < 3; i++) await jetstream(nc).publish("in.x", `m${i}`);
  const copy = (credentials: Record<string, string>) => spark.readStream.format("nats").options({ servers: url, stream: "IN", startingOffsets: "earliest", ...credentials }).load()
    .selectExpr("value").writeStream.format("nats").options({ servers: url, subject: "out.copy", ...credentials }).trigger({ availableNow: true }).start();
  const ok = copy({ ...good });
  await ok.awaitTermination();
  expect((await jsm.streams.info("OUT")).state.messages).toBe(3);
  const denied = copy({ ...bad });
  await expect(denied.awaitTermination()).rejects.toThrow(/cannot connect to NATS server nats:\/\/127\.0\.0\.1:\d+: .*(authorization|auth)/i);
  const shown = `${denied.exception!.message} ${JSON.stringify(denied.exception)} ${denied.toString()} ${JSON.stringify(ok.lastProgress)}`;
  for (const secret of [...Object.values(good), ...Object.values(bad)].filter((v) => v !== "reader")) expect(shown).not.toContain(secret);
  await nc.close();
}, 60_000);
