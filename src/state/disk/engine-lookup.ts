import { decodeValue } from "../value-codec.ts";
import type { BlockCache } from "./block-cache.ts";
import type { HashedKeys } from "./hash-order.ts";
import type { Memtable } from "./memtable.ts";
import type { FoundRecord, RunFile } from "./run-file.ts";
import { lookupInRuns } from "./run-lookup.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";

/**
 * The disk engine's lookup of many keys (run-engine.ts getMany, lookupHashed): the keys of
 * `batch` at order[0…numPending) (hash1 order) in each memtable, newest first, then the keys
 * no memtable has a record of in the runs (run-lookup.ts), past the filter of the runs' keys
 * (`keyFilter`, null while it lacks some). With `decode`, out[i] is the value or undefined;
 * without, true where the key has a value and undefined where not. `order` is reused.
 */
export function lookupInMemtablesAndRuns(
  memtables: readonly Memtable[], runs: readonly RunFile[], cache: BlockCache, found: FoundRecord, keyFilter: RunsKeyFilter | null,
  batch: HashedKeys, order: Int32Array, numPending: number, out: unknown[], decode: boolean,
): void {
  const { keys, utf8, h1s, h2s } = batch;
  for (const mem of memtables) {
    let left = 0;
    for (let p = 0; p < numPending; p++) {
      const i = order[p]!;
      const key = keys[i]!;
      const r = utf8 && typeof key === "string" ? mem.findUtf8(key, h1s[i]!, h2s[i]!) : mem.find(key, h1s[i]!, h2s[i]!);
      if (r >= 0) {
        out[i] = mem.isTombstone(r) ? undefined : decode ? decodeValue(mem.valueOf(r)) : true;
        continue;
      }
      out[i] = undefined;
      order[left++] = i;
    }
    numPending = left;
  }
  if (numPending === 0 || runs.length === 0) return;
  lookupInRuns(runs, cache, found, batch, order, numPending, out, decode, keyFilter);
}
