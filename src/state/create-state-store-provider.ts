import type { CheckpointPaths } from "../checkpoint/paths.ts";
import { AnalysisError, assertNever } from "../common/errors.ts";
import { DiskStateStoreProvider } from "./disk/disk-state-store-provider.ts";
import { FileStateStoreProvider } from "./file-state-store-provider.ts";
import { LmdbStateStoreProvider } from "./lmdb/lmdb-state-store-provider.ts";
import { MemoryStateStoreProvider } from "./memory-state-store-provider.ts";
import type { StateStoreProviderName } from "./state-store-provider-choice.ts";
import type { StateStoreProvider } from "./state-store.ts";

export interface StateStoreProviderSettings {
  readonly minDeltasForSnapshot: number;
  readonly localDir?: string;
  readonly memoryBudgetBytes: number;
}

/** The provider for one operator partition: in memory without a checkpoint, else the chosen one in the checkpoint. */
export function createStateStoreProvider(
  name: StateStoreProviderName,
  paths: CheckpointPaths | null,
  operatorId: number,
  partition: number,
  settings: StateStoreProviderSettings,
): StateStoreProvider {
  if (paths === null) return new MemoryStateStoreProvider();
  switch (name) {
    case "memory":
      throw new AnalysisError(
        `state store provider 'memory' keeps no state in the checkpoint, so a restart would lose it: ` +
          `use 'file', 'rocksdb' or 'lmdb' (rivulet.sql.streaming.stateStore.provider) with a checkpoint location`,
      );
    case "file":
      return FileStateStoreProvider.forOperator(paths, operatorId, partition, { minDeltasForSnapshot: settings.minDeltasForSnapshot });
    case "disk":
      return new DiskStateStoreProvider({
        dir: paths.state(operatorId, partition),
        minDeltasForSnapshot: settings.minDeltasForSnapshot,
        memoryBudgetBytes: settings.memoryBudgetBytes,
        ...(settings.localDir !== undefined && settings.localDir !== "" ? { localDir: settings.localDir } : {}),
      });
    case "lmdb":
      return new LmdbStateStoreProvider({
        dir: paths.state(operatorId, partition),
        minDeltasForSnapshot: settings.minDeltasForSnapshot,
        memoryBudgetBytes: settings.memoryBudgetBytes,
        ...(settings.localDir !== undefined && settings.localDir !== "" ? { localDir: settings.localDir } : {}),
      });
    default:
      return assertNever(name);
  }
}
