import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset, Row } from "../api/dataset.ts";
import type { MemoryStream } from "../api/memory-stream.ts";
import type { StreamingQuery } from "../api/streaming-query.ts";
import { concatBatches } from "../columnar/concat.ts";
import { rowsToBatch, batchToRows } from "../columnar/values.ts";
import { showString } from "../columnar/show-string.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { RivuletError } from "../common/errors.ts";
import type { OutputMode } from "../connectors/sink.ts";
import type { StructType } from "../types/data-types.ts";
import { diffRows, formatValue } from "./row-comparison.ts";

/** A step of a stream test failed: says which step, what was expected and what came out. */
export class StreamTestFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StreamTestFailure";
  }
}

type Step =
  | { kind: "addData"; stream: MemoryStream<any>; rows: readonly unknown[] }
  | { kind: "processAllAvailable" }
  | { kind: "advanceClock"; ms: number }
  | { kind: "checkAnswer"; rows: readonly Row[] }
  | { kind: "checkNewAnswer"; rows: readonly Row[] }
  | { kind: "checkLastBatch"; rows: readonly Row[] }
  | { kind: "assertNumStateRows"; total: number; updated: number | undefined; droppedByWatermark: number | undefined }
  | { kind: "stopStream" }
  | { kind: "startStream" }
  | { kind: "expectFailure"; errorClass: abstract new (...args: any[]) => Error; message: RegExp | undefined }
  | { kind: "assert"; what: string; check: (query: StreamingQuery) => void | Promise<void> };

let counter = 0;

/**
 * Drives a streaming DataFrame step by step through a memory sink with its own
 * checkpoint, as Spark's StreamTest does — but public, so users test their own jobs:
 *
 *   await testStream(counts, "update")
 *     .addData(input, [{ word: "a" }]).checkNewAnswer([{ word: "a", count: 1 }])
 *     .stopStream().startStream()
 *     .addData(input, [{ word: "a" }]).checkNewAnswer([{ word: "a", count: 2 }])
 *     .run();
 */
export class StreamTest {
  readonly #steps: Step[] = [];
  #options: Record<string, string> = {};

  constructor(readonly df: Dataset<any>, readonly outputMode: OutputMode) {}

  /** Extra writeStream options for the query under test (e.g. "lateRows.path"). */
  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }

  addData<T>(stream: MemoryStream<T>, rows: readonly T[]): this { this.#steps.push({ kind: "addData", stream, rows }); return this; }
  processAllAvailable(): this { this.#steps.push({ kind: "processAllAvailable" }); return this; }
  /** Advances the session's ManualClock; resolves when the batches that became due have run. */
  advanceClock(ms: number): this { this.#steps.push({ kind: "advanceClock", ms }); return this; }
  /** The whole result: the last complete-mode result, or every row emitted so far. */
  checkAnswer(rows: readonly Row[]): this { this.#steps.push({ kind: "checkAnswer", rows }); return this; }
  /** Rows emitted since the previous check. */
  checkNewAnswer(rows: readonly Row[]): this { this.#steps.push({ kind: "checkNewAnswer", rows }); return this; }
  /** Rows of the last micro-batch only. */
  checkLastBatch(rows: readonly Row[]): this { this.#steps.push({ kind: "checkLastBatch", rows }); return this; }
  /**
   * State rows of the stateful operator nearest the sink after the last batch (no-data batches
   * included), and — as Spark's StateStoreMetricsTest — the rows it updated and dropped as late,
   * summed over the batches since the previous check.
   */
  assertNumStateRows(total: number, updated?: number, droppedByWatermark?: number): this {
    this.#steps.push({ kind: "assertNumStateRows", total, updated, droppedByWatermark }); return this;
  }
  stopStream(): this { this.#steps.push({ kind: "stopStream" }); return this; }
  /** Restarts the query from the same checkpoint. */
  startStream(): this { this.#steps.push({ kind: "startStream" }); return this; }
  /** The query must fail (after processing what is available) with this error class (cause included). */
  expectFailure(errorClass: abstract new (...args: any[]) => Error = RivuletError, message?: RegExp): this {
    this.#steps.push({ kind: "expectFailure", errorClass, message }); return this;
  }
  assertOnQuery(what: string, check: (query: StreamingQuery) => void | Promise<void>): this {
    this.#steps.push({ kind: "assert", what, check }); return this;
  }

  async run(): Promise<void> {
    const spark = this.df.sparkSession;
    const name = `stream_test_${process.pid}_${counter++}`;
    const checkpoint = await mkdtemp(join(tmpdir(), "rivulet-stream-test-"));
    const schema = this.df.schema;
    // Failures stay failures here (ExpectFailure, StopStream/StartStream do the restarts), as in Spark's StreamTest.
    const start = (): StreamingQuery => this.df.writeStream.format("memory").queryName(name).outputMode(this.outputMode)
      .option("restartOnFailure", "none").options(this.#options).option("checkpointLocation", checkpoint).start();
    let query: StreamingQuery | null = start();
    let checkedRows = 0;
    let stateCheckedBatch = -1;
    const sink = () => spark.catalog.memorySink(name)!;
    try {
      for (const [index, step] of this.#steps.entries()) {
        const where = `step ${index + 1} of ${this.#steps.length} (${step.kind})`;
        const requireQuery = (): StreamingQuery => {
          if (query === null) throw new StreamTestFailure(`${where}: the stream is stopped; add startStream() first`);
          return query;
        };
        switch (step.kind) {
          case "addData": step.stream.addData(step.rows as never[]); break;
          case "processAllAvailable": await requireQuery().processAllAvailable(); break;
          case "advanceClock": {
            const clock = spark.clock;
            if (!("advance" in clock)) throw new StreamTestFailure(`${where}: the session has no ManualClock; build it with Session.builder().withClock(new ManualClock())`);
            await (clock as { advance(ms: number): Promise<void> }).advance(step.ms);
            break;
          }
          case "checkAnswer":
          case "checkNewAnswer":
          case "checkLastBatch": {
            await requireQuery().processAllAvailable();
            const all = sink().batches();
            const total = all.reduce((n, b) => n + b.numRows, 0);
            let actual: ColumnBatch[];
            if (step.kind === "checkAnswer") actual = all;
            else if (step.kind === "checkLastBatch") actual = sink().lastBatch();
            else actual = this.outputMode === "complete" ? all : [concatBatches(sink().schema, all).slice(checkedRows, total)];
            checkedRows = total;
            compareRows(where, schema, step.rows, actual);
            break;
          }
          case "assertNumStateRows": {
            const q = requireQuery();
            await q.processAllAvailable();
            const op = q.lastProgress?.stateOperators[0];
            if (!op) throw new StreamTestFailure(`${where}: the query has no stateful operator or has not run a batch`);
            const recent = q.recentProgress;
            const since = recent.filter((p) => p.batchId > stateCheckedBatch);
            stateCheckedBatch = q.lastProgress.batchId;
            const updated = since.reduce((n, p) => n + (p.stateOperators[0]?.numRowsUpdated ?? 0), 0);
            const dropped = since.reduce((n, p) => n + (p.stateOperators[0]?.numRowsDroppedByWatermark ?? 0), 0);
            if (op.numRowsTotal !== step.total || (step.updated !== undefined && updated !== step.updated)
              || (step.droppedByWatermark !== undefined && dropped !== step.droppedByWatermark)) {
              throw new StreamTestFailure(`${where}: expected ${step.total} state rows${step.updated === undefined ? "" : ` (${step.updated} updated)`}`
                + `${step.droppedByWatermark === undefined ? "" : ` (${step.droppedByWatermark} dropped by watermark)`}, `
                + `got ${op.numRowsTotal} (${updated} updated, ${dropped} dropped by watermark)`);
            }
            break;
          }
          case "stopStream": await requireQuery().stop(); query = null; break;
          case "startStream":
            if (query !== null) throw new StreamTestFailure(`${where}: the stream is already running`);
            query = start();
            break;
          case "expectFailure": {
            const q = requireQuery();
            const error = await q.processAllAvailable().then(() => q.exception, (e: unknown) => e as Error);
            if (error === null && q.isActive) {
              await q.stop();
              query = null;
              throw new StreamTestFailure(`${where}: expected the query to fail with ${step.errorClass.name}, but it is still running after processing all available data`);
            }
            query = null;
            const cause = (error as { cause?: unknown } | null)?.cause;
            const matches = (e: unknown): boolean => e instanceof step.errorClass && (step.message === undefined || step.message.test((e as Error).message));
            if (error === null || !(matches(error) || matches(cause))) {
              throw new StreamTestFailure(`${where}: expected the query to fail with ${step.errorClass.name}${step.message ? ` matching ${step.message}` : ""}, but it ${error === null ? "stopped without an error" : `failed with ${error.name}: ${error.message}`}`);
            }
            break;
          }
          case "assert": {
            const q = requireQuery();
            await q.processAllAvailable();
            try {
              await step.check(q);
            } catch (e) {
              throw new StreamTestFailure(`${where} "${step.what}": ${(e as Error).message}`);
            }
            break;
          }
        }
      }
    } finally {
      await query?.stop();
      await rm(checkpoint, { recursive: true, force: true }); // the run's own checkpoint, made above
    }
  }
}

function compareRows(where: string, schema: StructType, expected: readonly Row[], actual: readonly ColumnBatch[]): void {
  const actualRows = actual.flatMap(batchToRows);
  const difference = diffRows(expected, actualRows);
  if (difference === null) return;
  const table = (rows: readonly Row[]): string => {
    try {
      return showString(rowsToBatch(schema, rows, "expected rows"), 1000, false);
    } catch {
      return rows.map((r) => formatValue(r)).join("\n") + "\n";
    }
  };
  // The tables read like Spark's show(); the lists below them print each value with its kind
  // (NaN, Infinity, -0, 1n, null), which a table cell cannot.
  const list = (title: string, rows: readonly Row[]): string =>
    rows.length === 0 ? "" : `== ${title} (${rows.length}) ==\n${rows.map((r) => `  ${formatValue(r)}\n`).join("")}`;
  throw new StreamTestFailure(`${where}: the rows differ\n== Expected (${expected.length} rows) ==\n${table(expected)}== Actual (${actualRows.length} rows) ==\n${table(actualRows)}`
    + list("Expected but missing", difference.missing) + list("Not expected", difference.unexpected));
}

/** Starts a stream test of `df` (a DataFrame or a typed Dataset) in `outputMode`; chain steps and end with `await ….run()`. */
export function testStream<T>(df: Dataset<T>, outputMode: OutputMode = "append"): StreamTest {
  return new StreamTest(df, outputMode);
}
