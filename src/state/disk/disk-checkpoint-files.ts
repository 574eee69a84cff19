import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { errorCode } from "../../common/atomic-file.ts";
import { StateError } from "../../common/errors.ts";

/**
 * What the disk provider keeps in an operator partition's checkpoint directory (Spark's
 * RocksDB changelog checkpointing, with run files shared between snapshots as Spark shares
 * SST files):
 *
 *     <version>.changelog   the version's puts and removes
 *     <version>.manifest    "v1" and a JSON line: the run files (oldest first) of the state after that version
 *     runs/<uuid>.run       immutable run files, uploaded once, referenced by manifests
 */
export interface DiskCheckpointFiles {
  readonly changelogs: ReadonlySet<number>;
  readonly manifests: ReadonlySet<number>;
}

export interface DiskManifest {
  readonly numKeys: number;
  readonly runs: readonly string[];
}

export const RUNS_DIR = "runs";

export function changelogPath(dir: string, version: number): string {
  return join(dir, `${version}.changelog`);
}

export function manifestPath(dir: string, version: number): string {
  return join(dir, `${version}.manifest`);
}

export function runPath(dir: string, name: string): string {
  return join(dir, RUNS_DIR, name);
}

export async function listDiskCheckpointFiles(dir: string): Promise<DiskCheckpointFiles> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === "ENOENT") return { changelogs: new Set(), manifests: new Set() };
    throw new StateError(`cannot list state directory ${dir}`, { cause: error });
  }
  const changelogs = new Set<number>();
  const manifests = new Set<number>();
  for (const name of names) {
    const match = /^(\d+)\.(changelog|manifest)$/.exec(name);
    if (match === null) continue;
    (match[2] === "changelog" ? changelogs : manifests).add(Number(match[1]));
  }
  return { changelogs, manifests };
}

export function encodeManifest(manifest: DiskManifest): string {
  return `v1\n${JSON.stringify({ numKeys: manifest.numKeys, runs: manifest.runs })}\n`;
}

export async function readManifest(file: string): Promise<DiskManifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new StateError(`cannot read state manifest ${file}`, { cause: error });
  }
  const [version, json] = text.split("\n");
  if (version !== "v1") throw new StateError(`state manifest ${file} has format ${JSON.stringify(version)}; this rivulet reads v1`);
  try {
    const parsed = JSON.parse(json ?? "") as DiskManifest;
    if (typeof parsed.numKeys !== "number" || !Array.isArray(parsed.runs)) throw new Error("numKeys or runs missing");
    return parsed;
  } catch (error) {
    throw new StateError(`state manifest ${file} is corrupt: ${String(error)}`, { cause: error });
  }
}

/** Names of run files in `<dir>/runs`. */
export async function listRunFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, RUNS_DIR))).filter((n) => n.endsWith(".run"));
  } catch (error) {
    if (errorCode(error) === "ENOENT") return [];
    throw new StateError(`cannot list ${join(dir, RUNS_DIR)}`, { cause: error });
  }
}
