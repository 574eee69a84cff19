import { AnalysisError } from "./errors.ts";
import { zoneRules } from "./time-zone.ts";
import { SPARK_SQL_DEFAULTS, SPARK_SQL_KEYS_WITHOUT_DEFAULT, sqlConfNotFound } from "./spark-sql-conf.ts";

/** Keys rivulet reads, with Spark's names and defaults. */
export const ConfKeys = {
  noDataMicroBatches: "spark.sql.streaming.noDataMicroBatches.enabled",
  multipleWatermarkPolicy: "spark.sql.streaming.multipleWatermarkPolicy",
  /** `false`: Spark's behaviour before 3.4, a watermark may be redefined but one stateful operator at most. */
  statefulOperatorAllowMultiple: "spark.sql.streaming.statefulOperator.allowMultiple",
  sessionTimeZone: "spark.sql.session.timeZone",
  groupByOrdinal: "spark.sql.groupByOrdinal",
  orderByOrdinal: "spark.sql.orderByOrdinal",
  groupByAliases: "spark.sql.groupByAliases",
  shufflePartitions: "spark.sql.shuffle.partitions",
  minBatchesToRetain: "spark.sql.streaming.minBatchesToRetain",
  checkpointLocation: "spark.sql.streaming.checkpointLocation",
  /** Where tables created without a location keep their files (`spark-warehouse` in the working directory). */
  warehouseDir: "spark.sql.warehouse.dir",
  caseSensitive: "spark.sql.caseSensitive",
  stateSnapshotInterval: "spark.sql.streaming.stateStore.minDeltasForSnapshot",
  /** Spark's provider class: HDFSBackedStateStoreProvider (files) or RocksDBStateStoreProvider (disk-backed). */
  stateStoreProviderClass: "spark.sql.streaming.stateStore.providerClass",
  /** memory | file | rocksdb (= disk) | lmdb; wins over providerClass; a checkpoint keeps the provider it was written with. */
  stateStoreProvider: "rivulet.sql.streaming.stateStore.provider",
  /** Where the disk-backed providers keep their working copies (default: the OS temp directory). */
  stateStoreLocalDir: "rivulet.sql.streaming.stateStore.localDir",
  /** Memory a disk-backed store may use (memtable, block cache, run filters), per operator partition. */
  stateStoreMemoryBudget: "rivulet.sql.streaming.stateStore.memoryBudget",
  /** true (default): a restart whose stateful operators' key or value schemas do not fit the checkpoint's state fails at start. */
  stateSchemaCheck: "spark.sql.streaming.stateStore.stateSchemaCheck",
  numRecentProgressUpdates: "spark.sql.streaming.numRecentProgressUpdates",
  optimizerExcludedRules: "spark.sql.optimizer.excludedRules",
  lateRowsPath: "rivulet.streaming.lateRows.path",
  /** Threads a query may use (file decoding in worker threads); 1 keeps everything on the main thread. */
  parallelism: "rivulet.sql.parallelism",
  /**
   * Partial aggregation in worker threads stops when it does not reduce: once the probe's
   * rows are folded, partial groups per row at or above the ratio make the query fold its
   * later files on one thread (DataFusion's skip_partial_aggregation_probe_*; the default
   * ratio is lower than DataFusion's 0.8 because here the merge runs on one thread: measured
   * in benchmarks/RESULTS.md).
   */
  skipPartialAggregationProbeRatio: "rivulet.sql.aggregate.skipPartialAggregationProbeRatioThreshold",
  skipPartialAggregationProbeRows: "rivulet.sql.aggregate.skipPartialAggregationProbeRowsThreshold",
  watermarkIdleTimeout: "rivulet.streaming.watermark.idleTimeout",
  /** How long a sink retries transient errors (a database outage) before the query fails: a duration, 0 or -1 (forever). */
  sinkRetryMaxDuration: "rivulet.sink.retry.maxDuration",
  /** What happens when a query with a checkpoint fails: exponential-delay, fixed-delay or none (Flink's names). */
  restartStrategy: "rivulet.streaming.restartStrategy",
  /** Most restarts within `restartStrategy.window`; one more and the query fails for good. */
  restartMaxRestarts: "rivulet.streaming.restartStrategy.maxRestarts",
  restartWindow: "rivulet.streaming.restartStrategy.window",
  /** The first delay (exponential-delay, doubling up to maxDelay) or every delay (fixed-delay). */
  restartDelay: "rivulet.streaming.restartStrategy.delay",
  restartMaxDelay: "rivulet.streaming.restartStrategy.maxDelay",
  /**
   * Hash partitions of a streaming aggregation's state, each checkpointed in its own
   * directory (Spark's spark.sql.shuffle.partitions, whose default of 200 would cost 200
   * state files per batch here). Fixed by a query's checkpoint once it has run.
   */
  statePartitions: "rivulet.sql.shuffle.partitions",
  /** true (default): decimal results keep their integral digits and lose scale; false: Spark's bounded rule, NULL on overflow. */
  decimalAllowPrecisionLoss: "spark.sql.decimalOperations.allowPrecisionLoss",
  /** TIMESTAMP_LTZ (default) or TIMESTAMP_NTZ: what the type name TIMESTAMP and `TIMESTAMP '…'` mean. */
  timestampType: "spark.sql.timestampType",
} as const;

const DEFAULTS: Record<string, string> = {
  [ConfKeys.noDataMicroBatches]: "true",
  [ConfKeys.multipleWatermarkPolicy]: "min",
  [ConfKeys.statefulOperatorAllowMultiple]: "true",
  [ConfKeys.sessionTimeZone]: "UTC",
  [ConfKeys.shufflePartitions]: "200",
  [ConfKeys.statePartitions]: "1",
  [ConfKeys.minBatchesToRetain]: "100",
  [ConfKeys.skipPartialAggregationProbeRatio]: "0.5",
  [ConfKeys.skipPartialAggregationProbeRows]: "100000",
  [ConfKeys.caseSensitive]: "false",
  [ConfKeys.stateSnapshotInterval]: "10",
  [ConfKeys.stateStoreMemoryBudget]: "256m",
  [ConfKeys.stateSchemaCheck]: "true",
  [ConfKeys.numRecentProgressUpdates]: "100",
  [ConfKeys.sinkRetryMaxDuration]: "10 minutes",
  [ConfKeys.restartStrategy]: "exponential-delay",
  [ConfKeys.restartMaxRestarts]: "10",
  [ConfKeys.restartWindow]: "30 minutes",
  [ConfKeys.restartDelay]: "1 second",
  [ConfKeys.restartMaxDelay]: "1 minute",
  [ConfKeys.decimalAllowPrecisionLoss]: "true",
  [ConfKeys.timestampType]: "TIMESTAMP_LTZ",
};

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(ConfKeys));

/** `spark.conf`: string-valued settings with Spark's defaults. */
export class RuntimeConfig {
  readonly #values = new Map<string, string>();
  /** The session's own settings (Spark's SparkConf: spark.app.name, spark.master), read after what the user set. */
  readonly #sessionValues = new Map<string, string>();
  readonly #localEngine: boolean;

  /** `localEngine`: the settings of a local session, which refuse what rivulet's own engine does not do (a remote session's go to Spark). */
  constructor(initial: Iterable<[string, string]> = [], { localEngine = false } = {}) {
    for (const [k, v] of initial) this.#values.set(k, v);
    this.#localEngine = localEngine;
  }

  set(key: string, value: string | number | boolean): void {
    const text = String(value);
    if (this.#localEngine && key.toLowerCase() === "spark.sql.ansi.enabled" && text.trim().toLowerCase() !== "false") {
      // Accepting it would leave overflow wrapping and bad casts NULL while the user believes they fail.
      throw new AnalysisError(`[UNSUPPORTED_FEATURE.ANSI_MODE] The feature is not supported: spark.sql.ansi.enabled=${text}. rivulet evaluates SQL as Spark does with ANSI mode off (integer overflow wraps, an invalid cast or a division by zero gives NULL); use try_cast, try_divide and friends, or run the query on Spark through a remote session.`);
    }
    // An unknown zone is refused when set (Spark's INVALID_CONF_VALUE.TIME_ZONE), never read as UTC.
    if (key === ConfKeys.sessionTimeZone) zoneRules(text);
    if (key === ConfKeys.timestampType && !["TIMESTAMP_LTZ", "TIMESTAMP_NTZ"].includes(text.toUpperCase())) {
      throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${text}' in the config "${key}" is invalid. Expected one of TIMESTAMP_LTZ, TIMESTAMP_NTZ.`);
    }
    if (key === ConfKeys.decimalAllowPrecisionLoss && !["true", "false"].includes(text.toLowerCase())) {
      throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${text}' in the config "${key}" is invalid. ${key} should be boolean, but was ${text}.`);
    }
    if (key === ConfKeys.multipleWatermarkPolicy && !["min", "max"].includes(text.toLowerCase())) {
      throw new AnalysisError(`${key} must be 'min' or 'max', not '${text}'`);
    }
    this.#values.set(key, text);
    active = this;
  }

  /**
   * Spark's `spark.conf.get`: the value set, else `defaultValue` when given, else the
   * setting's default. A key nobody set that neither Spark nor rivulet knows fails with
   * SQL_CONF_NOT_FOUND; a known key without a default gives undefined (Spark's null).
   */
  get(key: string, defaultValue?: string): string | undefined {
    const value = this.#values.get(key) ?? this.#sessionValues.get(key) ?? defaultValue ?? DEFAULTS[key] ?? SPARK_SQL_DEFAULTS[key];
    if (value === undefined && !this.#isKnown(key)) throw new AnalysisError(sqlConfNotFound(key));
    return value;
  }

  /** Spark's `getOption`: the value set or the default, undefined for anything else (never fails). */
  getOption(key: string): string | undefined {
    return this.#values.get(key) ?? this.#sessionValues.get(key) ?? DEFAULTS[key] ?? SPARK_SQL_DEFAULTS[key];
  }

  /** @internal A setting of the session itself (its app name), as Spark's SparkConf entries show in `spark.conf`. */
  setSessionValue(key: string, value: string): void {
    this.#sessionValues.set(key, value);
  }

  #isKnown(key: string): boolean {
    // rivulet's own settings are read by name across the engine; unset ones are simply absent.
    return key.toLowerCase().startsWith("rivulet.") || KNOWN_KEYS.has(key) || SPARK_SQL_KEYS_WITHOUT_DEFAULT.has(key);
  }

  getBoolean(key: string): boolean {
    return (this.get(key) ?? "false").toLowerCase() === "true";
  }

  getNumber(key: string): number {
    const v = Number(this.get(key));
    if (!Number.isFinite(v)) throw new AnalysisError(`configuration ${key} must be a number, not '${this.get(key)}'`);
    return v;
  }

  unset(key: string): void {
    this.#values.delete(key);
  }

  /** What the session was created with (its builder's settings): RESET goes back to it. */
  #initial = new Map<string, string>();

  /** @internal The settings now are the session's own, which RESET keeps. */
  keepAsInitial(): void {
    this.#initial = new Map(this.#values);
  }

  /** SQL's RESET: every setting (or `key`) back to what the session was created with, else its default. */
  reset(key?: string): void {
    if (key === undefined) {
      this.#values.clear();
      for (const [k, v] of this.#initial) this.#values.set(k, v);
      return;
    }
    const initial = this.#initial.get(key);
    if (initial === undefined) this.#values.delete(key);
    else this.#values.set(key, initial);
  }

  isModifiable(_key: string): boolean {
    return true;
  }

  getAll(): Record<string, string> {
    return { ...DEFAULTS, ...Object.fromEntries(this.#sessionValues), ...Object.fromEntries(this.#values) };
  }

  /** A copy: a query keeps the settings it started with. */
  snapshot(): RuntimeConfig {
    const copy = new RuntimeConfig(this.#values);
    for (const [k, v] of this.#sessionValues) copy.setSessionValue(k, v);
    return copy;
  }
}

let active: RuntimeConfig | null = null;
const defaults = new RuntimeConfig();

/**
 * Spark's `SQLConf.get`: the settings of the active session, which analysis reads where a
 * setting changes how an expression types (decimal precision loss, what TIMESTAMP means).
 * The active session is the one that last ran SQL or changed a setting, as Spark's
 * `SparkSession.active` is the one whose Dataset operation runs.
 */
export function activeConf(): RuntimeConfig {
  return active ?? defaults;
}

export function setActiveConf(conf: RuntimeConfig): void {
  active = conf;
}

/** spark.sql.timestampType of the active session: TIMESTAMP_NTZ or (default) TIMESTAMP_LTZ. */
export function timestampIsNtz(): boolean {
  return activeConf().get(ConfKeys.timestampType)!.toUpperCase() === "TIMESTAMP_NTZ";
}
