/**
 * The run file's layout constants, shared by its writer (run-writer.ts) and reader
 * (run-file.ts). Format 2 (trailer magic "RVR2"):
 *
 *     partition 0: data blocks, then its meta block (filter and block index, run-partition.ts)
 *     partition 1: …
 *     top index:   f64le dataStart[n]  f64le metaStart[n]  u32le firstH1[n]  u32le firstBlock[n]
 *     trailer:     f64le indexStart  u32le n  u32le numBlocks  f64le numEntries  u32le numTombstones
 *                  u32le bitsPerKey  u32le 2  "RVR2"
 *
 * A partition never splits the records of one hash1, so a key is looked for in one partition.
 * Format 1 (magic "RVRN", written before partitioned filters) keeps one whole-file filter and
 * block index in a footer: f64le footerStart  u32le numBlocks  u32le bloomWords  f64le numEntries
 * u32le numTombstones  "RVRN". It is still read (old checkpoints), never written.
 */
export const BLOCK_BYTES = 4096;
/** Blocks of a partition: 256 KiB of records, whose filter (10 bits a key) is some 8 KiB. */
export const PARTITION_BLOCKS = 64;
export const WRITE_CHUNK = 1 << 20;

export const FORMAT_2 = 2;
export const TRAILER_2_BYTES = 40;
export const MAGIC_2 = 0x32525652; // "RVR2"

export const TRAILER_1_BYTES = 32;
export const MAGIC_1 = 0x4e525652; // "RVRN"
