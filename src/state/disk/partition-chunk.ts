import type { BlockCursor } from "./block-cursor.ts";
import type { RunFile } from "./run-file.ts";
import type { RunPartition } from "./run-partition.ts";

/**
 * A batch's keys that a partition's filter lets through, from which the partition's data
 * blocks are read at once. A batch of 50,000 keys over a state of a million touches most
 * blocks of every run (a 4 KiB block holds some 30 records): read block by block, each is
 * a pread and a buffer of its own, and the block cache, smaller than the runs and walked
 * in the same hash order every batch, keeps evicting the blocks the next batch wants. One
 * pread of the partition (64 blocks, 256 KiB) into a buffer the walk reuses costs about as
 * much as a dozen single-block reads, allocates nothing and leaves the cache alone.
 */
export const CHUNK_MIN_KEYS = 12;
/** The most read at once (format 1's one partition is a whole run: read block by block). */
export const CHUNK_MAX_BYTES = 1 << 20;

/** The buffer chunks are read into, reused by every walk (each reads and decodes a chunk's records before the next). */
let scratch: Buffer = Buffer.allocUnsafe(0);

/**
 * Reads `partition`'s data blocks into the reused buffer and points `cursor` at them (false,
 * nothing read, when the partition is larger than CHUNK_MAX_BYTES). The bytes stay valid until
 * the next chunk is read by any walk: a walk reads what it needs of a chunk before moving on.
 */
export function readPartitionChunk(run: RunFile, partition: RunPartition, cursor: BlockCursor): boolean {
  const offsets = partition.offsets;
  const start = offsets[0]!;
  if (offsets[offsets.length - 1]! - start > CHUNK_MAX_BYTES) return false;
  scratch = run.readPartitionData(partition, scratch);
  cursor.chunk = scratch;
  cursor.chunkStart = start;
  cursor.chunkFirstBlock = partition.firstBlock;
  cursor.block = -1;
  return true;
}
