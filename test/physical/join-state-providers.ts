import { afterEach, beforeEach } from "vitest";
import { Session } from "../../src/index.ts";

const PROVIDER = "rivulet.sql.streaming.stateStore.provider";

/**
 * The state stores the stream–stream join suites run on: the file store (the join's rows in
 * memory, checkpointed as chunks) and the disk-backed one (the rows in the store, a record
 * per join key: stored-join-side.ts).
 */
export const JOIN_STATE_PROVIDERS = ["file", "rocksdb"] as const;

/** Runs each test of the enclosing describe with `provider` as the session's state store provider. */
export function useStateStoreProvider(provider: string): void {
  beforeEach(() => { Session.builder().getOrCreate().conf.set(PROVIDER, provider); });
  afterEach(() => { Session.builder().getOrCreate().conf.unset(PROVIDER); });
}
