/**
 * Where the last lookup in one run stopped, for lookups asked in hash1 order (a batch's
 * getMany walks each run this way): the data block it read, where that block ends in
 * `bytes`, and the offset of the block's first record whose hash1 is not below the last
 * key's. The next key, if it falls in the same block with a hash1 not below the last one,
 * is looked for from there: the block is neither fetched from the cache again nor scanned
 * again from its start, so a batch scans each block it touches at most about once, however
 * many of its keys fall in it.
 *
 * A cursor may also hold a whole partition's data blocks, read in one pread (partition-chunk.ts:
 * a batch with many keys in the partition): its blocks are then read from there, not through
 * the block cache.
 *
 * A cursor belongs to one run and to one walk over it (it holds bytes of that run).
 */
export class BlockCursor {
  /** The run-wide number of the block held (-1: none yet). */
  block = -1;
  /** The block's bytes: a cached block, or the partition chunk the block is in. */
  bytes: Buffer = EMPTY;
  /** Where the block ends in `bytes`. */
  end = 0;
  /** The first record of `bytes` whose hash1 is ≥ `h1`. */
  pos = 0;
  /** The hash1 of the last key looked for with this cursor. */
  h1 = 0;
  /** The run-wide number of the first block of the partition `chunk` holds (-1: none). */
  chunkFirstBlock = -1;
  /** The partition's data blocks (a buffer the walk reuses: valid until the next chunk is read). */
  chunk: Buffer = EMPTY;
  /** The file offset of chunk[0]. */
  chunkStart = 0;
}

const EMPTY = Buffer.alloc(0);
