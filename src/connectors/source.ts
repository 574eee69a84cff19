import type { RecordBatch } from "apache-arrow";
import type { RuntimeConfig } from "../common/config.ts";
import type { StructType } from "../types/data-types.ts";
import type { JsonFileTask } from "./sources/json-file-task.ts";
import type { Clock } from "../execution/clock.ts";

/** Offsets are JSON values, so they can be written to the offset log before a batch runs. */
export type Offset = string | number | boolean | null | Offset[] | { [key: string]: Offset };

/**
 * A source of an unbounded input table (Spark's Source / MicroBatchStream). Replaying the
 * same offset range must return the same rows: that is what makes recovery exact.
 */
export interface Source {
  readonly schema: StructType;
  /** Shown in progress reports (Spark's `SourceProgress.description`). */
  readonly description: string;
  /** Connects and checks what it reads (a server, a stream) when the query starts, so that start() fails naming it. */
  open?(): Promise<void>;
  /**
   * How far the input reaches now; null while nothing has arrived. `limit` lets a
   * trigger (availableNow) or an option (maxFilesPerTrigger) bound what one batch takes,
   * given where the previous batch ended. `readLimit` "allAvailable" (Trigger.Once, Spark's
   * ReadLimit.allAvailable) asks for everything there is, whatever the source's own limit.
   */
  latestOffset(start: Offset | null, readLimit?: ReadLimit): Promise<Offset | null>;
  /** Rows in (start, end], as Arrow batches of `schema`. `start` null means from the beginning. */
  getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]>;
  /** Data up to `end` was committed; the source may forget it. */
  commit?(end: Offset): Promise<void>;
  /**
   * Source-specific input-progress info, e.g. number of files read, added to progress
   * (Spark's ReportsSourceMetrics): `latestConsumed` is the end offset of the batch just
   * run, against which a bus source reports how far it is behind (`maxOffsetsBehindLatest`…).
   */
  metrics?(latestConsumed?: Offset | null): Record<string, string>;
  /**
   * The end of the input when latestOffset last looked, whatever a limit
   * (maxMessagesPerTrigger) let the batch take (Spark's `reportLatestOffset`): progress
   * shows it as the source's `latestOffset`. Null when unknown.
   */
  reportLatestOffset?(): Offset | null;
  stop(): Promise<void>;
}

/** How much one batch may take: the source's own limit (maxFilesPerTrigger…) or all available data. */
export type ReadLimit = "default" | "allAvailable";

/** What the optimizer pushed into a scan; a source may ignore any part it cannot use. */
export interface ReadRequest {
  /** Only these columns are needed (by name, in schema order); absent means all. */
  readonly columns?: readonly string[];
  /**
   * Rows the query will drop anyway: a row that fails any of these (a conjunction) may be
   * left out. Advisory, as Spark's pushed filters: a source may apply any subset, because
   * the engine keeps the Filter above the scan.
   */
  readonly filters?: readonly SourcePredicate[];
}

/** A literal of a pushed predicate, in the internal representation (timestamps µs, dates days, longs as numbers). */
export type SourceLiteral = string | number | boolean;

/** Comparison operators of pushed predicates; as in SQL, a null operand never satisfies one. */
export type SourceComparison = "=" | "!=" | "<" | "<=" | ">" | ">=";

/**
 * A predicate on one column of the source schema (by name) that a source can test while it
 * reads, before it builds a row (Spark's `sources.Filter`). Plain data, so a source can
 * keep it, log it or send it elsewhere. Literals have the column's type.
 */
export type SourcePredicate =
  | { readonly kind: "compare"; readonly column: string; readonly op: SourceComparison; readonly value: SourceLiteral }
  | { readonly kind: "isNull"; readonly column: string }
  | { readonly kind: "isNotNull"; readonly column: string }
  /** The value is one of `values` (none of them null). */
  | { readonly kind: "in"; readonly column: string; readonly values: readonly SourceLiteral[] }
  /** A string column's value starts with `prefix` (from `LIKE 'abc%'` or `startswith`). */
  | { readonly kind: "startsWith"; readonly column: string; readonly prefix: string };

/** Everything a source needs to come to life when a query starts. */
export interface SourceContext {
  /** checkpoint/sources/<index>, where the source keeps its own metadata; null without a checkpoint. */
  readonly metadataPath: string | null;
  readonly conf: RuntimeConfig;
  /** True for `spark.read` (read what is there once); false for `spark.readStream`. */
  readonly bounded: boolean;
  /** The query's clock (the session's: a ManualClock in tests); the system clock when absent. */
  readonly clock?: Clock;
}

/**
 * What a plan's scan node holds: the schema is fixed when the DataFrame is built (given
 * or inferred); the source itself is made per query run.
 */
export interface SourceProvider {
  /** Format name ("json", "memory", "rate"…), for plans and errors. */
  readonly format: string;
  readonly schema: StructType;
  /** Extra text for explain(), e.g. the path. */
  readonly details: string;
  /** False for sources such as socket/rate that cannot be read as a bounded batch. */
  readonly supportsBatch: boolean;
  /**
   * True when two reads of the bounded source can answer differently (a database table):
   * the static side of a stream–static join then reads it again every micro-batch, as
   * Spark re-executes an uncached static side. Otherwise a query run reads it once.
   */
  readonly changesBetweenReads?: boolean;
  /** The files a read would read now (Spark's Dataset.inputFiles); absent for sources that are not files. */
  readonly inputFiles?: () => readonly string[];
  /**
   * File sources: the same source with Spark's hidden `_metadata` column appended to its
   * schema (file path, name, size…, filled per file). The analyzer asks for it only when a
   * query names `_metadata` or calls input_file_name(), so other reads pay nothing.
   */
  readonly withFileMetadata?: () => SourceProvider;
  /** True when its sources are FileTaskSources: batches that other threads can read file by file. */
  readonly readsFileTasks?: boolean;
  createSource(context: SourceContext): Source;
}

/**
 * A source whose batches split into independent per-file tasks that worker threads can
 * read (the map side of a parallel aggregation decodes and pre-aggregates each file there).
 */
export interface FileTaskSource extends Source {
  /** One task per file in (start, end], in the order getBatch reads them. */
  planFileTasks(start: Offset | null, end: Offset, request: ReadRequest): Promise<JsonFileTask[]>;
  /** Counts what tasks run elsewhere read, for metrics(): files and malformed records. */
  recordFileTasks(filesRead: number, malformed: number): void;
}
