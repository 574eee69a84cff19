/**
 * Where the last lookup in one run stopped, for lookups asked in hash1 order (a batch's
 * getMany walks each run this way): the data block it read and the offset of the block's
 * first record whose hash1 is not below the last key's. The next key, if it falls in the
 * same block with a hash1 not below the last one, is looked for from there: the block is
 * neither fetched from the cache again nor scanned again from its start, so a batch scans
 * each block it touches at most about once, however many of its keys fall in it.
 *
 * A cursor belongs to one run and to one walk over it (it holds a block of that run).
 */
export class BlockCursor {
  /** The run-wide number of the block held (-1: none yet). */
  block = -1;
  bytes: Buffer = EMPTY;
  /** The first record of `bytes` whose hash1 is ≥ `h1`. */
  pos = 0;
  /** The hash1 of the last key looked for with this cursor. */
  h1 = 0;
}

const EMPTY = Buffer.alloc(0);
