import { join } from "node:path";
import { createClient } from "redis";
import { expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { waitFor } from "../../wait-for.ts";
import { BlackholeProxy } from "../blackhole-proxy.ts";
import { ServerProcess, freePort } from "../server-process.ts";

/**
 * A private redis-server (own port, own data directory, append-only file) stopped and
 * started again under a running query: the source and the sink wait for it.
 */
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
const server = new ServerProcess("redis-server", "redis-server");

function startServer(port: number, dir: string): Promise<void> {
  return server.start(["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""], async () => {
    const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } }).on("error", () => {});
    try { await c.connect(); await c.quit(); return true; } catch { return false; }
  });
}

test.each(["SIGTERM", "SIGKILL"] as const)("a Redis server stopped (%s) mid-run is waited for: source and sink continue, nothing lost or doubled", async (signal) => {
  const port = await freePort();
  const dir = await tmp("redis-outage-data");
  await startServer(port, dir);
  const url = `redis://127.0.0.1:${port}`;
  const producer = createClient({ url }).on("error", () => {});
  await producer.connect();
  const produced: string[] = [];
  const publish = async (n: number) => { for (let i = 0; i < n; i++) produced.push(await producer.xAdd("in", "*", { n: String(produced.length) })); };
  await publish(20);

  const query = spark.readStream.format("redis").options({ url, stream: "in", startingOffsets: "earliest", maxEntriesPerTrigger: "5" }).load()
    .selectExpr("id AS source_id").writeStream.format("redis").options({ url, stream: "out" })
    .option("checkpointLocation", join(await tmp("redis-outage-ckpt"), "ckpt")).queryName(`redis_outage_${signal}`)
    .trigger({ processingTime: "50 milliseconds" }).start();
  await waitFor(() => query.recentProgress.length, (n) => n >= 2, "two batches before the outage", 15_000, 20);
  await server.stop(signal);
  await new Promise((r) => setTimeout(r, 1500));
  expect(query.isActive).toBe(true);
  await startServer(port, dir);
  await publish(20);
  await waitFor(() => producer.xLen("out"), (n) => n >= 40, "the copy of all 40 entries", 60_000, 100);
  expect(query.exception).toBeNull();
  await query.stop();
  expect((await producer.xRange("out", "-", "+")).map((e) => e.message.source_id)).toEqual(produced);
  await producer.quit();
}, 120_000);

test("a Redis server behind a connection that goes silent (no close, no reset) is not waited on for ever: the commands time out, the client reconnects, nothing lost or doubled", async () => {
  const port = await freePort();
  await startServer(port, await tmp("redis-blackhole-data"));
  const proxy = await BlackholeProxy.start(port);
  try {
    const direct = createClient({ url: `redis://127.0.0.1:${port}` }).on("error", () => {});
    await direct.connect();
    const produced: string[] = [];
    const publish = async (n: number) => { for (let i = 0; i < n; i++) produced.push(await direct.xAdd("in", "*", { n: String(produced.length) })); };
    await publish(20);
    const url = `redis://127.0.0.1:${proxy.port}`;
    const query = spark.readStream.format("redis").options({ url, stream: "in", startingOffsets: "earliest", maxEntriesPerTrigger: "5", timeoutMs: "1000" }).load()
      .selectExpr("id AS source_id").writeStream.format("redis").options({ url, stream: "out", timeoutMs: "1000" })
      .option("checkpointLocation", join(await tmp("redis-blackhole-ckpt"), "ckpt"))
      .trigger({ processingTime: "50 milliseconds" }).start();
    await waitFor(() => query.recentProgress.length, (n) => n >= 2, "two batches before the partition", 15_000, 20);
    proxy.blackhole();
    await publish(10);
    await new Promise((r) => setTimeout(r, 2500));
    expect(query.isActive).toBe(true);
    const during = query.recentProgress.length;
    proxy.forward();
    await publish(10);
    await waitFor(() => direct.xLen("out"), (n) => n >= 40, "the copy of all 40 entries", 60_000, 100);
    expect(query.recentProgress.length).toBeGreaterThan(during);
    expect(query.exception).toBeNull();
    await query.stop();
    expect((await direct.xRange("out", "-", "+")).map((e) => e.message.source_id)).toEqual(produced);
    await direct.quit();
  } finally {
    await proxy.close();
  }
}, 120_000);
