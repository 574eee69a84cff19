/**
 * The newest record of every key of a memtable, sorted by hash1 (memtable.ts). Its records
 * come in segments already sorted by hash1 (a changelog's, a version's additions): the
 * segments are merged through a binary heap keyed by the hash1 of each one's current
 * record, superseded records skipped, so each segment is read front to back (arena and
 * per-record arrays alike) instead of gathering records from all over the arena.
 *
 * `starts`: the first record of each segment, ascending; `records`: records in all;
 * `keys`: the live records (those not superseded); `into`: an array of at least `keys` to
 * fill (a view of it is returned) instead of a new one.
 */
export function mergeSegments(
  h1: Uint32Array, superseded: Uint8Array, starts: readonly number[], records: number, keys: number, into: Int32Array | null = null,
): Int32Array {
  const out = into === null ? new Int32Array(keys) : into.subarray(0, keys);
  const k = starts.length;
  const pos = new Int32Array(k);
  const end = new Int32Array(k);
  for (let s = 0; s < k; s++) {
    pos[s] = starts[s]!;
    end[s] = s + 1 < k ? starts[s + 1]! : records;
  }
  const heap = new Int32Array(k);
  const heapKey = new Float64Array(k);
  let size = 0;
  for (let s = 0; s < k; s++) {
    // Sift up.
    let i = size++;
    const key = h1[pos[s]!]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heapKey[parent]! <= key) break;
      heap[i] = heap[parent]!;
      heapKey[i] = heapKey[parent]!;
      i = parent;
    }
    heap[i] = s;
    heapKey[i] = key;
  }
  let o = 0;
  while (size > 0) {
    const s = heap[0]!;
    let r = pos[s]!;
    const limit = end[s]!;
    // Take this segment's records while they are not past the next-smallest segment's.
    const bound = size > 1 ? Math.min(heapKey[1]!, size > 2 ? heapKey[2]! : Infinity) : Infinity;
    do {
      if (superseded[r] === 0) out[o++] = r;
      r++;
    } while (r < limit && h1[r]! <= bound);
    pos[s] = r;
    let key: number;
    let moved: number;
    if (r < limit) {
      moved = s;
      key = h1[r]!;
    } else {
      size--;
      if (size === 0) break;
      moved = heap[size]!;
      key = heapKey[size]!;
    }
    // Sift down from the root.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heapKey[child + 1]! < heapKey[child]!) child++;
      if (heapKey[child]! >= key) break;
      heap[i] = heap[child]!;
      heapKey[i] = heapKey[child]!;
      i = child;
    }
    heap[i] = moved;
    heapKey[i] = key;
  }
  if (o !== out.length) throw new Error(`memtable merge found ${o} live records of ${out.length} keys`);
  return out;
}
