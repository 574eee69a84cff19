import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { seededRandom } from "../../src/common/seeded-random.ts";
import { Session, col } from "../../src/index.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "../connectors/nats/helpers.ts";
import { tempDirs } from "../temp-dirs.ts";
import { committedBatches, runJobProcess } from "./job-process.ts";
import { waitFor } from "../wait-for.ts";

/**
 * A NATS source job in a child process, SIGKILLed at random points while a producer keeps
 * publishing, then finished with availableNow from the same checkpoint: what it wrote must
 * be every produced message exactly once (nothing lost, nothing doubled).
 */
const JOB = join(import.meta.dirname, "jobs", "nats-bus-job.ts");
const tmp = tempDirs();
let producer: TestProducer;
beforeAll(async () => { producer = await TestProducer.open(); });
afterAll(async () => { await producer.close(); });

const runJob = (args: string[]) => runJobProcess(JOB, args);

const commitCount = committedBatches;

const next = seededRandom(7);

/** Kills the job `kills` times while `publish` adds messages, then drains with availableNow. */
async function crashAndFinish(stream: string, checkpoint: string, target: string, publish: (n: number) => Promise<void>, kills: number): Promise<void> {
  for (let round = 0; round < kills; round++) {
    const { child, exited } = runJob([NATS_URL, stream, checkpoint, "forever", target]);
    const before = await commitCount(checkpoint);
    await publish(20);
    // Killed once it has committed a batch of this run, at a random point after that.
    await waitFor(() => commitCount(checkpoint), (n) => n > before, "a committed batch of the run", 30_000, 20);
    await new Promise((r) => setTimeout(r, next() * 150));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    await publish(5);
  }
  // The killed runs did work (so the kills hit a running query), and the final run has some left.
  expect(await commitCount(checkpoint)).toBeGreaterThanOrEqual(kills);
  const { exited } = runJob([NATS_URL, stream, checkpoint, "availableNow", target]);
  expect(await exited).toBe(0);
}

test("NATS source to a file sink: SIGKILL mid-run loses and doubles no message", async () => {
  const stream = uniqueStreamName("crash_src");
  await producer.createStream(stream, [`${stream}.>`]);
  const produced: number[] = [];
  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) produced.push(await producer.publish(`${stream}.${i % 2 ? "a" : "b"}`, `m${produced.length}`));
  };
  await publish(50);
  const out = await tmp("nats-crash-out");
  const checkpoint = join(await tmp("nats-crash-ckpt"), "ckpt");
  await crashAndFinish(stream, checkpoint, `json:${out}`, publish, 4);

  const spark = Session.builder().getOrCreate();
  const rows = await spark.read.schema("subject STRING, text STRING, sequence BIGINT").json(out).orderBy(col("sequence")).collect();
  expect(rows.map((r) => Number(r.sequence))).toEqual(produced);
  expect(rows.map((r) => r.text)).toEqual(produced.map((_, i) => `m${i}`));
}, 120_000);

test("NATS source to the NATS sink: SIGKILL mid-run publishes every message once", async () => {
  const stream = uniqueStreamName("crash_bus_in");
  const output = uniqueStreamName("crash_bus_out");
  await producer.createStream(stream, [`${stream}.>`]);
  await producer.createStream(output, [`${output}.>`]);
  const produced: number[] = [];
  const publish = async (n: number) => {
    for (let i = 0; i < n; i++) produced.push(await producer.publish(`${stream}.e`, `m${produced.length}`));
  };
  await publish(50);
  const checkpoint = join(await tmp("nats-bus-ckpt"), "ckpt");
  await crashAndFinish(stream, checkpoint, `nats:${output}.copied`, publish, 4);

  const got = await producer.messages(output);
  expect(got.map((m) => m.value)).toEqual(produced.map((seq, i) => `${seq}:m${i}`));
}, 120_000);
