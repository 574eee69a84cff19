import { ConfKeys, type RuntimeConfig } from "../common/config.ts";
import { Logger } from "../common/log.ts";
import type { CheckpointPaths } from "../checkpoint/paths.ts";
import type { StateContext } from "../physical/exec-operator.ts";
import { createStateStoreProvider } from "../state/create-state-store-provider.ts";
import { parseByteSize, recordedStateStoreProvider, type StateStoreProviderName } from "../state/state-store-provider-choice.ts";
import type { StateStoreProvider } from "../state/state-store.ts";
import type { CheckpointLogs } from "./checkpoint-logs.ts";

const log = new Logger("MicroBatchExecution");

/** The settings a query runs with after its checkpoint had its say. */
export interface CheckpointSettings {
  readonly provider: StateStoreProviderName;
  /** The session's configuration, or a snapshot of it with the checkpoint's state partitions. */
  readonly planConf: RuntimeConfig;
  /** Whether planConf differs from the session's, so the plan must be made again. */
  readonly replan: boolean;
}

/**
 * What the latest offset log entry fixes for every later run: the state store provider (as
 * Spark keeps spark.sql.streaming.stateStore.providerClass: the state is in its files) and
 * the number of state partitions (as Spark fixes shuffle partitions). Checkpoints from before
 * the partitions setting existed have one.
 */
export async function checkpointSettings(
  logs: CheckpointLogs | null, queryId: string, sessionConf: RuntimeConfig, sessionProvider: StateStoreProviderName,
): Promise<CheckpointSettings> {
  const latest = await logs?.offsets.getLatest();
  if (!latest) return { provider: sessionProvider, planConf: sessionConf, replan: false };
  const provider = recordedStateStoreProvider(latest.entry.metadata.conf?.[ConfKeys.stateStoreProvider]);
  if (provider !== sessionProvider) {
    log.info(`query ${queryId}: keeping the checkpoint's state store provider '${provider}' (the session asks for '${sessionProvider}')`);
  }
  const recorded = latest.entry.metadata.conf?.[ConfKeys.statePartitions] || "1";
  if (recorded === sessionConf.get(ConfKeys.statePartitions)) return { provider, planConf: sessionConf, replan: false };
  log.info(`query ${queryId}: keeping the checkpoint's ${ConfKeys.statePartitions}=${recorded}`);
  const planConf = sessionConf.snapshot();
  planConf.set(ConfKeys.statePartitions, recorded);
  return { provider, planConf, replan: true };
}

/** The settings written into each offset log entry, for checkpointSettings to read back. */
export function loggedSettings(planConf: RuntimeConfig, provider: StateStoreProviderName): Record<string, string> {
  const all = planConf.getAll();
  const keys = [ConfKeys.multipleWatermarkPolicy, ConfKeys.shufflePartitions, ConfKeys.statePartitions, ConfKeys.noDataMicroBatches, ConfKeys.sessionTimeZone];
  return { ...Object.fromEntries(keys.map((k) => [k, all[k] ?? ""])), [ConfKeys.stateStoreProvider]: provider };
}

/**
 * How stateful operators get their stores: the chosen provider, under the checkpoint's state
 * directory (none: in memory only, not durable), loading the state before `startVersion`.
 * `opened` hears of every provider made, so the query can purge and close them.
 */
export function stateContextFor(
  provider: StateStoreProviderName, paths: CheckpointPaths | null, conf: RuntimeConfig, startVersion: number,
  opened: (provider: StateStoreProvider) => void,
): StateContext {
  return {
    startVersion,
    durable: paths !== null,
    provider: (operatorId, partition) => {
      // Read when a stateful operator asks: a stateless query never checks these settings.
      const made = createStateStoreProvider(provider, paths, operatorId, partition, {
        minDeltasForSnapshot: conf.getNumber(ConfKeys.stateSnapshotInterval),
        localDir: conf.get(ConfKeys.stateStoreLocalDir),
        memoryBudgetBytes: parseByteSize(ConfKeys.stateStoreMemoryBudget, conf.get(ConfKeys.stateStoreMemoryBudget)!),
      });
      opened(made);
      return made;
    },
  };
}
