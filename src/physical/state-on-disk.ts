import { DiskStateStoreProvider } from "../state/disk/disk-state-store-provider.ts";
import { LmdbStateStoreProvider } from "../state/lmdb/lmdb-state-store-provider.ts";
import type { StateContext } from "./exec-operator.ts";

/**
 * The state context an operator opens with, telling it whether its provider keeps state on
 * disk beyond a memory budget (the disk and lmdb providers): such an operator reads its state
 * by key each batch instead of holding all of it in memory.
 */
export function notingStateOnDisk(state: StateContext, seen: (onDisk: boolean) => void): StateContext {
  return {
    ...state,
    provider: (operatorId, partition) => {
      const provider = state.provider(operatorId, partition);
      seen(provider instanceof DiskStateStoreProvider || provider instanceof LmdbStateStoreProvider);
      return provider;
    },
  };
}
