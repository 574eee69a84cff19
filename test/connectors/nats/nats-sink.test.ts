import { rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Session, col, struct, to_json, type DataFrame } from "../../../src/index.ts";
import { captureLog } from "../../flume/helpers.ts";
import { tempDirs } from "../../temp-dirs.ts";
import { waitFor } from "../../wait-for.ts";
import { NATS_URL, TestProducer, uniqueStreamName } from "./helpers.ts";

const spark = Session.builder().getOrCreate();
const tmp = tempDirs(spark);
let producer: TestProducer;
beforeAll(async () => { producer = await TestProducer.open(); });
afterAll(async () => { await producer.close(); });

/** An input stream IN_… and an output stream OUT_… capturing `<OUT>.>`, with `n` messages published to the input. */
async function streams(prefix: string, n: number, duplicateWindowMs?: number, headers: (i: number) => [string, string][] = () => []) {
  const input = uniqueStreamName(`${prefix}_in`);
  const output = uniqueStreamName(`${prefix}_out`);
  await producer.createStream(input, [`${input}.>`]);
  await producer.createStream(output, [`${output}.>`], duplicateWindowMs);
  for (let i = 1; i <= n; i++) await producer.publish(`${input}.${i % 2 === 0 ? "even" : "odd"}`, `m${i}`, headers(i));
  return { input, output };
}

function read(stream: string): DataFrame {
  return spark.readStream.format("nats").options({ servers: NATS_URL, stream, startingOffsets: "earliest", maxMessagesPerTrigger: "2" }).load();
}

async function run(df: DataFrame, options: Record<string, string>, checkpoint?: string) {
  let writer = df.writeStream.format("nats").options({ servers: NATS_URL, ...options }).trigger({ availableNow: true });
  if (checkpoint !== undefined) writer = writer.option("checkpointLocation", checkpoint);
  const query = writer.start();
  await query.awaitTermination().catch(() => {});
  return query;
}

describe("writeStream.format(\"nats\")", () => {
  test("publishes value and headers to the subject option; exactly one message per row", async () => {
    const { input, output } = await streams("sink_opt", 5, undefined, (i) => (i === 3 ? [] : [["seq", String(i)], ["from", "test"]]));
    const df = read(input).selectExpr("upper(CAST(value AS STRING)) AS value", "headers");
    const query = await run(df, { subject: `${output}.upper` });
    expect(query.recentProgress.map((p) => p.sink.numOutputRows)).toEqual([2, 2, 1]);
    const got = await producer.messages(output);
    expect(got.map((m) => [m.subject, m.value, m.headers.get("seq"), m.headers.get("from")])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [`${output}.upper`, `M${i}`, i === 3 ? undefined : [String(i)], i === 3 ? undefined : ["test"]]));
    expect(got[0]!.headers.get("Nats-Msg-Id")).toEqual([`${query.id}-0-0`]);
  });

  test("a subject column routes each row; the subject option wins when both are set", async () => {
    const { input, output } = await streams("sink_col", 4);
    const routed = read(input).selectExpr(`regexp_replace(subject, '^[^.]+', '${output}') AS subject`, "value");
    await run(routed, {});
    expect((await producer.messages(output)).map((m) => [m.subject, m.value])).toEqual(
      [[`${output}.odd`, "m1"], [`${output}.even`, "m2"], [`${output}.odd`, "m3"], [`${output}.even`, "m4"]]);
    const { input: input2, output: output2 } = await streams("sink_both", 2);
    await run(read(input2).selectExpr(`concat('${output}.', subject) AS subject`, "value"), { subject: `${output2}.fixed` });
    expect((await producer.messages(output2)).map((m) => m.subject)).toEqual([`${output2}.fixed`, `${output2}.fixed`]);
  });

  test("a re-run batch is stored once: JetStream drops the repeated message ids, and the checkpoint skips a finished batch", async () => {
    const { input, output } = await streams("sink_once", 5);
    const checkpoint = join(await tmp("nats-sink-once"), "ckpt");
    const df = read(input).selectExpr("value");
    await run(df, { subject: `${output}.x` }, checkpoint);
    expect((await producer.messages(output)).map((m) => m.value)).toEqual(["m1", "m2", "m3", "m4", "m5"]);
    // Crashed after publishing, before the commit log, and before the sink noted the batch: JetStream de-duplicates.
    await rm(join(checkpoint, "commits", "2"));
    await rm(join(checkpoint, "sinks", "nats", "lastPublishedBatch"));
    for (const i of [6, 7]) await producer.publish(`${input}.x`, `m${i}`);
    const again = await run(df, { subject: `${output}.x` }, checkpoint);
    expect(again.recentProgress.map((p) => [p.batchId, p.sink.numOutputRows])).toEqual([[2, 1], [3, 2]]);
    expect((await producer.messages(output)).map((m) => m.value)).toEqual(["m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    // Crashed after the sink noted the batch: the re-run batch is skipped without publishing.
    await rm(join(checkpoint, "commits", "3"));
    const third = await run(df, { subject: `${output}.x` }, checkpoint);
    expect(third.recentProgress.map((p) => [p.batchId, p.sink.numOutputRows])).toEqual([[3, 0]]);
    expect(await producer.messages(output)).toHaveLength(7);
  });

  test("to_json(struct(*)) AS value sends a whole row (SQL and the DataFrame API)", async () => {
    const { input, output } = await streams("sink_row", 2);
    const rows = read(input).selectExpr("CAST(value AS STRING) AS text", "sequence");
    await run(rows.selectExpr("to_json(struct(*)) AS value"), { subject: `${output}.sql` });
    await run(rows.select(to_json(struct(col("*"))).as("value")), { subject: `${output}.api` });
    const got = (await producer.messages(output)).map((m) => [m.subject.split(".").pop(), m.value]);
    expect(got).toEqual([["sql", '{"text":"m1","sequence":1}'], ["sql", '{"text":"m2","sequence":2}'], ["api", '{"text":"m1","sequence":1}'], ["api", '{"text":"m2","sequence":2}']]);
  });

  test("a column that is not a message part is refused by name", async () => {
    const { input, output } = await streams("sink_extra", 1);
    const query = read(input).selectExpr("value", "sequence").writeStream.format("nats")
      .options({ servers: NATS_URL, subject: `${output}.x` }).start();
    await expect(query.awaitTermination()).rejects.toThrow("NATS sink: column 'sequence' is not a message part");
    const noValue = read(input).selectExpr("subject").writeStream.format("nats").options({ servers: NATS_URL, subject: `${output}.x` }).start();
    await expect(noValue.awaitTermination()).rejects.toThrow("Required attribute 'value' not found");
    const noSubject = read(input).selectExpr("value").writeStream.format("nats").options({ servers: NATS_URL }).start();
    await expect(noSubject.awaitTermination()).rejects.toThrow("subject option required when no 'subject' attribute is present");
  });

  test("a subject no stream captures fails start(), and a row routed to one fails its batch, naming the subject", async () => {
    const { input } = await streams("sink_nostream", 2);
    const query = read(input).selectExpr("value").writeStream.format("nats").options({ servers: NATS_URL, subject: "nowhere.captured.x" }).start();
    await expect(query.awaitTermination()).rejects.toThrow("no JetStream stream captures subject 'nowhere.captured.x' on NATS server nats://127.0.0.1:4222");
    const routed = await run(read(input).selectExpr("concat('nowhere.', subject) AS subject", "value"), {});
    expect(routed.exception?.message).toContain(`no JetStream stream captures subject 'nowhere.${input}.odd'`);
  });

  test("warns at start when the stream's duplicate window is shorter than the trigger interval plus the publish retry budget (retryMaxDuration)", async () => {
    const { input, output } = await streams("sink_window", 1, 500);
    const { lines } = await captureLog(async () => {
      const query = read(input).selectExpr("value").writeStream.format("nats").options({ servers: NATS_URL, subject: `${output}.x` })
        .trigger({ processingTime: "30 seconds" }).start();
      // The sink checks the window when it is made, before the first batch.
      await waitFor(() => query.recentProgress.length, (n) => n >= 1, "the first batch", 30_000, 20);
      await query.stop();
    });
    expect(lines.some((l) => l.startsWith("WARN NatsSink") && l.includes(`stream '${output}' keeps message ids for 500 ms (duplicate_window)`))).toBe(true);
    const { input: quietIn, output: quietOut } = await streams("sink_window_ok", 1);
    // The default retry budget (10 minutes) is longer than the default duplicate window (2 minutes): warned.
    const long = await captureLog(() => run(read(quietIn).selectExpr("value"), { subject: `${quietOut}.x` }));
    expect(long.lines.some((l) => l.includes("keeps message ids for 120000 ms (duplicate_window)"))).toBe(true);
    const quiet = await captureLog(() => run(read(quietIn).selectExpr("value"), { subject: `${quietOut}.x`, retryMaxDuration: "1 minute" }));
    expect(quiet.lines.filter((l) => l.includes("duplicate_window"))).toEqual([]);
  });
});
