import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { createClient } from "redis";
import { afterAll, expect, test } from "vitest";
import { Session } from "../../../src/index.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { waitFor } from "../../wait-for.ts";

/**
 * A private redis-server (own port, own data directory, append-only file) stopped and
 * started again under a running query: the source and the sink wait for it.
 */
const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
let server: ChildProcess | null = null;
afterAll(() => { server?.kill("SIGKILL"); });

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startServer(port: number, dir: string): Promise<void> {
  server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--appendfsync", "always", "--save", ""], { stdio: "ignore" });
  await waitFor(async () => {
    const c = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } }).on("error", () => {});
    try { await c.connect(); await c.quit(); return true; } catch { return false; }
  }, (up) => up, "the private redis-server to accept connections", 15_000, 50);
}

async function stopServer(): Promise<void> {
  const s = server!;
  const exited = new Promise((resolve) => s.once("exit", resolve));
  s.kill("SIGTERM");
  await exited;
  server = null;
}

test("a Redis server that goes away mid-run is waited for: source and sink continue, nothing lost or doubled", async () => {
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
    .option("checkpointLocation", join(await tmp("redis-outage-ckpt"), "ckpt"))
    .trigger({ processingTime: "50 milliseconds" }).start();
  await waitFor(() => query.recentProgress.length, (n) => n >= 2, "two batches before the outage", 15_000, 20);
  await stopServer();
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
