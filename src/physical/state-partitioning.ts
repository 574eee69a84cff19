/**
 * The state partition a group key belongs to: FNV-1a over the key's UTF-16 code units,
 * modulo the number of partitions. Checkpoints depend on it, so it must never change;
 * the map side of a parallel aggregation partitions its partial groups the same way.
 */
export function statePartitionOf(key: string, numPartitions: number): number {
  if (numPartitions === 1) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % numPartitions;
}
