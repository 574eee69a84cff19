import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { REDIS_URL, RedisTestClient, uniqueKey } from "../connectors/redis/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";
import { waitFor } from "../wait-for.ts";

/**
 * A Redis stream copied to another by a job in a child process, SIGKILLed at random points
 * while entries keep arriving, then finished with availableNow from the same checkpoint:
 * the copy holds every input entry once, in order.
 */
const JOB = join(import.meta.dirname, "jobs", "redis-bus-job.ts");
const tmp = tempDirs();
let redis: RedisTestClient;
beforeAll(async () => { redis = await RedisTestClient.open(); });
afterAll(async () => { await redis.close(); });

function runJob(args: string[]): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ["--import", "tsx", JOB, ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => { stderr += String(d); });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => {
    if (code !== null && code !== 0) process.stderr.write(stderr);
    resolve(code);
  }));
  return { child, exited };
}

async function commitCount(checkpoint: string): Promise<number> {
  return (await readdir(join(checkpoint, "commits")).catch(() => [] as string[])).filter((f) => /^\d+$/.test(f)).length;
}

let random = 11;
const next = (): number => { random = (random * 1103515245 + 12345) % 2 ** 31; return random / 2 ** 31; };

test("Redis source to the Redis sink: SIGKILL mid-run writes every entry once", async () => {
  const input = uniqueKey("crash_in");
  const output = uniqueKey("crash_out");
  redis.track(output);
  const produced: string[] = [];
  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) produced.push(await redis.add(input, { n: String(produced.length) }));
  };
  await publish(50);
  const checkpoint = join(await tmp("redis-crash-ckpt"), "ckpt");
  const kills = 4;
  for (let round = 0; round < kills; round++) {
    const { child, exited } = runJob([REDIS_URL, input, checkpoint, "forever", output]);
    const before = await commitCount(checkpoint);
    await publish(20);
    await waitFor(() => commitCount(checkpoint), (n) => n > before, "a committed batch of the run", 30_000, 20);
    await new Promise((r) => setTimeout(r, next() * 150));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    await publish(5);
  }
  expect(await commitCount(checkpoint)).toBeGreaterThanOrEqual(kills);
  const { exited } = runJob([REDIS_URL, input, checkpoint, "availableNow", output]);
  expect(await exited).toBe(0);
  redis.trackQuery(JSON.parse(await readFile(join(checkpoint, "metadata"), "utf8")).id);

  const copied = await redis.entries(output);
  expect(copied.map((e) => e.fields.source_id)).toEqual(produced);
  expect(copied.map((e) => e.fields.n)).toEqual(produced.map((_, i) => String(i)));
}, 120_000);
