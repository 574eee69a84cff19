import type { Scratch } from "../scratch-arrays.ts";

/** Buckets per region: 4,096 Int32 buckets are 16 KiB, so a region's probes stay in the L1/L2 caches. */
const REGION_BITS = 12;

/**
 * The order in which to probe m keys so that their buckets are visited region by region,
 * regions in ascending order (a counting sort of the keys by their bucket's high bits, as
 * DuckDB and DataFusion radix-partition a batch before its probe): with a table far larger
 * than the caches, each probe otherwise costs a cache and TLB miss; in this order a region's
 * lines are loaded once and the hardware prefetcher streams the next. Keys of one region
 * keep their order. Null when the buckets fit the caches (the batch's own order is as good).
 */
export function bucketOrder(hashes: Int32Array, m: number, mask: number, scratch: Scratch): Int32Array | null {
  const bucketBits = 31 - Math.clz32(mask + 1);
  if (bucketBits <= REGION_BITS + 4 || m < 1024) return null;
  const shift = bucketBits - Math.min(bucketBits - REGION_BITS, 10); // at most 1,024 regions
  const regions = (mask >>> shift) + 1;
  const start = scratch.int32("bucketOrder.start", regions + 1, true);
  for (let j = 0; j < m; j++) start[((hashes[j]! & mask) >>> shift) + 1]!++;
  for (let r = 0; r < regions; r++) start[r + 1]! += start[r]!;
  const order = scratch.int32("bucketOrder.order", m);
  for (let j = 0; j < m; j++) order[start[(hashes[j]! & mask) >>> shift]!++] = j;
  return order;
}
