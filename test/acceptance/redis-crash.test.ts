import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { REDIS_URL, RedisTestClient, uniqueKey } from "../connectors/redis/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";
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

const runJob = (args: string[]) => runJobProcess(JOB, args);

const commitCount = committedBatches;

const next = seededRandom(11);

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
