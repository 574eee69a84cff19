import type { RootDatabase } from "lmdb";
import { StateError } from "../../common/errors.ts";

/** The LMDB database a disk-backed store reads and writes: keys as given, values as bytes. */
export type LmdbDatabase = RootDatabase<Buffer, string | number>;

let loaded: Promise<typeof import("lmdb")> | null = null;

/**
 * Opens (creating) the working database in directory `path`. The `lmdb` package (a
 * dependency, with prebuilt binaries) is loaded on first use, so that importing rivulet
 * costs nothing for queries that keep their state in memory or in files.
 */
export async function openLmdb(path: string): Promise<LmdbDatabase> {
  loaded ??= import("lmdb");
  let lmdb: typeof import("lmdb");
  try {
    lmdb = await loaded;
  } catch (error) {
    loaded = null;
    throw new StateError(`the disk-backed state store needs the 'lmdb' package, which cannot be loaded: ${String(error)}`, { cause: error });
  }
  try {
    return lmdb.open<Buffer, string | number>({
      path,
      encoding: "binary",
      compression: false,
      cache: false,
      // The checkpoint's changelog files make a version durable; the working copy is rebuilt from them after a crash.
      noSync: true,
      // Not MDB_WRITEMAP: with it LMDB aborts the process (`Assertion 'x <= dl[0].mid' failed in
      // mdb_freelist_save()`) when a transaction deletes the last keys of the database, as an
      // eviction that empties the state does (kriszyp/lmdb-js#212; LMDB's own branch has the same guard).
      useWritemap: false,
    });
  } catch (error) {
    throw new StateError(`cannot open the state store's working database in ${path}: ${String(error)}`, { cause: error });
  }
}
