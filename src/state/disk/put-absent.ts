import { InternalError } from "../../common/errors.ts";
import { encodeNumberInto, encodeValueShared } from "../value-codec.ts";
import type { HashedKeys } from "./hash-order.ts";
import type { Memtable } from "./memtable.ts";
import { LIVE, type PastActiveProbe } from "./run-lookup.ts";

const scratch = Buffer.allocUnsafe(9);
/** Keys whose slots and strings are loaded ahead of the loop's work on them (Memtable.touch). */
const TOUCH_AHEAD = 128;
/** What Memtable.touch read, kept so that its loads stay. */
export let touchedSum = 0;

/**
 * putIfAbsent's one pass over a batch in hash1 order (order[0…numOrder)): each key probes
 * the active memtable once; a key it has no record of is asked of the sealed memtable and
 * the runs (`past`), and a key absent everywhere (or removed) is added as a pending record
 * in the slot that probe ended at — while that slot's cache line is still loaded, instead
 * of a second pass that misses it again. Marks out[i] = 1 for each key added; returns how
 * many. A key this version added already (twice in the batch) is present.
 *
 * A plain function of its arguments, with nothing but the loop, so that the optimizing
 * compiler, which enters it in the middle of the loop on its first calls, finds no code
 * after the loop without type feedback (such code deopts at every call's end).
 */
export function putAbsent(
  mem: Memtable, past: PastActiveProbe, batch: HashedKeys, order: Int32Array, numOrder: number, values: ArrayLike<unknown>, out: Uint8Array, what: string,
): number {
  const { keys, utf8, h1s, h2s } = batch;
  let count = 0;
  let touched = 0;
  for (let o = 0; o < numOrder; o++) {
    if (o === touched) {
      touched = Math.min(numOrder, o + TOUCH_AHEAD);
      touchedSum = (touchedSum + mem.touch(keys, h1s, order, o, touched) + past.touch(h1s, order, o, touched) + touchBatch(h2s, values, order, o, touched)) | 0;
    }
    const i = order[o]!;
    const key = keys[i]!;
    const h1 = h1s[i]!;
    const h2 = h2s[i]!;
    const utf8Key = utf8 && typeof key === "string";
    const s = mem.slotOf(key, utf8Key, h1, h2);
    const r = mem.hit;
    if (r >= 0 ? !mem.isTombstone(r) || mem.isPending(r) : past.state(key, utf8Key, h1, h2) === LIVE) continue;
    const value = values[i];
    if (value === undefined) throw new InternalError(`${what}: cannot put undefined for key ${String(key)}; use remove`);
    if (typeof key !== "string" && typeof key !== "number") throw new InternalError(`${what}: keys must be strings or numbers, not ${typeof key}`);
    mem.addPendingAt(s, key, h1, h2, typeof value === "number" ? encodeNumberInto(scratch, value) : encodeValueShared(value), utf8Key);
    out[i] = 1;
    count++;
  }
  return count;
}

/**
 * Loads the hash2s and values of the keys at order[from…to): in hash1 order a batch's own
 * arrays are read at random too (a batch of 50,000 keys spans several hundred KiB of them),
 * and each such miss would otherwise stall its key's probe.
 */
function touchBatch(h2s: Uint32Array, values: ArrayLike<unknown>, order: Int32Array, from: number, to: number): number {
  let acc = 0;
  if (values instanceof Float64Array) {
    for (let o = from; o < to; o++) {
      const i = order[o]!;
      acc = (acc + h2s[i]! + (values[i]! > 0 ? 1 : 0)) | 0;
    }
  } else {
    for (let o = from; o < to; o++) acc = (acc + h2s[order[o]!]!) | 0;
  }
  return acc;
}
