import { AnalysisError } from "../common/errors.ts";

/** rivulet's state store providers, by the name `rivulet.sql.streaming.stateStore.provider` takes. */
export type StateStoreProviderName = "memory" | "file" | "disk" | "lmdb";

export const SPARK_HDFS_PROVIDER_CLASS = "org.apache.spark.sql.execution.streaming.state.HDFSBackedStateStoreProvider";
export const SPARK_ROCKSDB_PROVIDER_CLASS = "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider";

/** The provider for queries with a checkpoint when no setting names one (chosen by benchmarks/state-dedup.ts). */
export const DEFAULT_STATE_STORE_PROVIDER: StateStoreProviderName = "file";

const BY_NAME: Record<string, StateStoreProviderName> = {
  memory: "memory",
  file: "file",
  hdfs: "file",
  disk: "disk",
  lmdb: "lmdb",
  // The disk-backed provider answers to RocksDB's names; its engine is rivulet's own (see benchmarks/RESULTS.md).
  rocksdb: "disk",
};

const BY_CLASS: Record<string, StateStoreProviderName> = {
  [SPARK_HDFS_PROVIDER_CLASS]: "file",
  [SPARK_ROCKSDB_PROVIDER_CLASS]: "disk",
  HDFSBackedStateStoreProvider: "file",
  RocksDBStateStoreProvider: "disk",
};

/**
 * The provider a session's settings ask for: `rivulet.sql.streaming.stateStore.provider`
 * (memory | file | rocksdb | disk | lmdb) when set, else Spark's
 * `spark.sql.streaming.stateStore.providerClass`, else the default.
 */
export function chooseStateStoreProvider(rivuletName: string | undefined, sparkClass: string | undefined): StateStoreProviderName {
  if (rivuletName !== undefined && rivuletName.trim() !== "") {
    const name = BY_NAME[rivuletName.trim().toLowerCase()];
    if (name === undefined) {
      throw new AnalysisError(
        `[INVALID_CONF_VALUE] The value '${rivuletName}' in the config "rivulet.sql.streaming.stateStore.provider" is invalid: ` +
          `expected one of memory, file, rocksdb, disk, lmdb`,
      );
    }
    return name;
  }
  if (sparkClass !== undefined && sparkClass.trim() !== "") {
    const name = BY_CLASS[sparkClass.trim()];
    if (name === undefined) {
      throw new AnalysisError(
        `[INVALID_CONF_VALUE] The value '${sparkClass}' in the config "spark.sql.streaming.stateStore.providerClass" is invalid: ` +
          `rivulet provides ${SPARK_HDFS_PROVIDER_CLASS} (file) and ${SPARK_ROCKSDB_PROVIDER_CLASS} (disk-backed)`,
      );
    }
    return name;
  }
  return DEFAULT_STATE_STORE_PROVIDER;
}

/** A provider name recorded in a checkpoint's offset log (checkpoints from before the setting used files). */
export function recordedStateStoreProvider(recorded: string | undefined): StateStoreProviderName {
  if (recorded === undefined || recorded === "") return "file";
  const name = BY_NAME[recorded];
  if (name === undefined) throw new AnalysisError(`the checkpoint's state was written by state store provider '${recorded}', which this rivulet does not have`);
  return name;
}

/** Sizes as Spark's byte settings take them: 268435456, 256m, 256mb, 256MiB, 1g … */
export function parseByteSize(key: string, text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*$/i.exec(text);
  if (match === null) throw new AnalysisError(`[INVALID_CONF_VALUE] The value '${text}' in the config "${key}" is invalid: expected a size such as 256m`);
  const unit = (match[2] ?? "b").toLowerCase()[0]!;
  const scale = { b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[unit as "b" | "k" | "m" | "g" | "t"];
  return Math.floor(Number(match[1]) * scale);
}
