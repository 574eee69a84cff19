import { AnalysisError } from "../common/errors.ts";
import { parseTrigger, type Trigger, type TriggerSpec } from "../execution/trigger.ts";
import type { Dataset } from "./dataset.ts";
import { foreachWriterOf, writeEpoch, type ForeachWriterLike } from "./foreach-writer.ts";
import type { RemoteStreamingQuery } from "../connect/remote-streaming-query.ts";
import type { SessionMode } from "./session-mode.ts";
import type { StreamingQuery } from "./streaming-query.ts";

/** What `start()`/`toTable()` give: a running local query, or the promise of the query Spark started. */
export type StartedQuery<M extends SessionMode> = M extends "remote" ? Promise<RemoteStreamingQuery> : StreamingQuery;

const OUTPUT_MODES = ["append", "update", "complete"];

/** What a writer was told, and only that (a remote plan sends only what was set, as Spark's client). */
export interface StreamWriteSettings<T = unknown> {
  /** As given (`format("delta")`); null when never set. */
  readonly format: string | null;
  readonly outputMode: string | null;
  readonly options: Readonly<Record<string, string>>;
  readonly queryName: string | null;
  readonly trigger: Trigger | null;
  readonly partitionBy: readonly string[];
  readonly foreachBatch: ((df: Dataset<T>, batchId: number) => unknown) | null;
}

/**
 * Spark's DataStreamWriter: where and how a streaming Dataset's results go. The settings
 * are the same on both backends; `start()`/`toTable()` are each backend's (a local query
 * here, or a WriteStreamOperationStart sent to Spark, whose `start()` gives a Promise).
 */
export abstract class DataStreamWriter<T, M extends SessionMode = "local"> {
  #format: string | null = null;
  #outputMode: string | null = null;
  readonly #options: Record<string, string> = {};
  #queryName: string | null = null;
  #trigger: Trigger | null = null;
  #partitionBy: string[] = [];
  #foreachBatch: ((df: Dataset<T>, batchId: number) => unknown) | null = null;

  constructor(readonly ds: Dataset<T, M>) {}

  format(source: string): this { this.#format = source; return this; }

  outputMode(mode: string): this {
    if (!OUTPUT_MODES.includes(mode.toLowerCase())) throw new AnalysisError(`Unknown output mode ${mode}. Accepted output modes are 'append', 'complete', 'update'`);
    this.#outputMode = mode;
    return this;
  }

  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }
  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }

  queryName(name: string): this { this.#queryName = name; return this; }
  trigger(spec: TriggerSpec): this { this.#trigger = parseTrigger(spec); return this; }
  partitionBy(...columns: string[]): this { this.#partitionBy = columns; return this; }

  /** Calls `fn` with each micro-batch's output as a batch Dataset (Spark's foreachBatch). */
  foreachBatch(fn: (df: Dataset<T>, batchId: number) => unknown): this {
    this.#format = "foreachbatch";
    this.#foreachBatch = fn;
    return this;
  }

  /**
   * Hands each row to `writer` (Spark's `foreach(ForeachWriter)`, or PySpark's function of a
   * row): per micro-batch, `open(0, batchId)`, `process(row)` for each row, `close(error)`.
   */
  foreach(writer: ForeachWriterLike<T>): this {
    const w = foreachWriterOf(writer);
    this.foreachBatch(async (df, epochId) => writeEpoch(w, await df.collect(), epochId));
    this.#format = "foreach";
    return this;
  }

  /** @internal What this writer was told so far. */
  get settings(): StreamWriteSettings<T> {
    return {
      format: this.#format, outputMode: this.#outputMode, options: { ...this.#options }, queryName: this.#queryName,
      trigger: this.#trigger, partitionBy: [...this.#partitionBy], foreachBatch: this.#foreachBatch,
    };
  }

  /** Starts the query; checks the plan and output mode now, as Spark does. On a remote session: a Promise. */
  abstract start(path?: string): StartedQuery<M>;

  /** Writes to a table of the catalog. On a remote session: a Promise. */
  abstract toTable(tableName: string): StartedQuery<M>;
}
