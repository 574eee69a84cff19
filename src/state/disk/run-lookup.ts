import type { StateKey } from "../state-store.ts";
import { decodeValue } from "../value-codec.ts";
import type { BlockCache } from "./block-cache.ts";
import type { FoundRecord, RunFile } from "./run-file.ts";
import { TOMBSTONE } from "./state-record.ts";

/** A lookup sorts hash1 · this + key position in a Float64Array. */
export const MAX_KEYS_PER_LOOKUP = 1 << 21;

/**
 * The newest record of `key` in the runs (newest run first) into `found`; false if no run
 * has one. A tombstone is a record too (`found.valueLength === TOMBSTONE`).
 */
export function newestInRuns(runs: readonly RunFile[], key: StateKey, h1: number, h2: number, cache: BlockCache, found: FoundRecord): boolean {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.find(key, h1, h2, cache, found)) return true;
  return false;
}

/**
 * The runs' part of RunEngine.lookupHashed, for the keys at pending[0…numPending) that no
 * memtable answered: with `decode`, out[i] becomes the value, without it true, where a run
 * holds a live record (out[i] is left as it is otherwise). `pending` is reused.
 */
export function lookupInRuns(
  runs: readonly RunFile[], cache: BlockCache, found: FoundRecord,
  keys: readonly StateKey[], h1s: Uint32Array, h2s: Uint32Array, pending: Int32Array, numPending: number, out: unknown[], decode: boolean,
): void {
  // Sorted by hash1 once: each run is then walked partition by partition, each partition's
  // filter fetched (from the cache) once for all the keys that fall in it.
  const packed = new Float64Array(numPending);
  for (let p = 0; p < numPending; p++) packed[p] = h1s[pending[p]!]! * MAX_KEYS_PER_LOOKUP + pending[p]!;
  packed.sort();
  const order = new Int32Array(numPending);
  for (let p = 0; p < numPending; p++) order[p] = packed[p]! - Math.floor(packed[p]! / MAX_KEYS_PER_LOOKUP) * MAX_KEYS_PER_LOOKUP;
  for (let ri = runs.length - 1; ri >= 0 && numPending > 0; ri--) {
    const run = runs[ri]!;
    let partition = null;
    let partitionEnd = -1;
    let kept = 0;
    for (let o = 0; o < numPending; o++) {
      const i = order[o]!;
      const h1 = h1s[i]!;
      if (h1 >= partitionEnd) {
        const p = run.partitionFor(h1);
        partitionEnd = run.partitionEnd(p);
        partition = p < 0 ? null : run.partition(p, cache);
      }
      if (partition !== null && partition.bloom.mayContain(h1, h2s[i]!) && run.findIn(partition, keys[i]!, h1, h2s[i]!, cache, found)) {
        if (found.valueLength !== TOMBSTONE) {
          out[i] = decode ? decodeValue(found.block.subarray(found.valueStart, found.valueStart + found.valueLength)) : true;
        }
        continue;
      }
      order[kept++] = i;
    }
    numPending = kept;
  }
}
