import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../../common/atomic-file.ts";
import { StateError } from "../../common/errors.ts";

/** What a disk-backed store's checkpoint directory holds: versions with a changelog, and snapshots with their sizes. */
export interface LmdbCheckpointFiles {
  readonly changelogs: ReadonlySet<number>;
  readonly snapshots: ReadonlyMap<number, number>;
}

/** Lists `<version>.changelog` and `<version>.lmdb` in `dir` (none if it does not exist). */
export async function listLmdbCheckpointFiles(dir: string): Promise<LmdbCheckpointFiles> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { changelogs: new Set(), snapshots: new Map() };
    throw new StateError(`cannot list state directory ${dir}`, { cause: error });
  }
  const changelogs = new Set<number>();
  const snapshots = new Map<number, number>();
  for (const name of names) {
    const match = /^(\d+)\.(changelog|lmdb)$/.exec(name);
    if (match === null) continue;
    const version = Number(match[1]);
    if (match[2] === "changelog") changelogs.add(version);
    else snapshots.set(version, (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size);
  }
  return { changelogs, snapshots };
}
