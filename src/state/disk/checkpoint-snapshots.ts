import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import {
  changelogPath, encodeManifest, listDiskCheckpointFiles, listRunFiles, manifestPath, readManifest, RUNS_DIR, runPath,
} from "./disk-checkpoint-files.ts";
import { linkOrCopy, syncFile, unlinkIfExists } from "./checkpoint-file-ops.ts";

/** A manifest to write: the version the runs held when their list was taken (their files pinned since). */
export interface ManifestPlan {
  readonly version: number;
  readonly numKeys: number;
  readonly runs: ReadonlyArray<{ path: string; name: string; fileBytes: number }>;
}

/**
 * Uploads the plan's run files the checkpoint in `dir` lacks (`missing`: fsynced, then
 * hard-linked or copied), then writes the version's manifest naming all the plan's runs.
 */
export async function uploadSnapshot(dir: string, plan: ManifestPlan, missing: ManifestPlan["runs"]): Promise<void> {
  await mkdir(join(dir, RUNS_DIR), { recursive: true });
  for (const run of missing) {
    await syncFile(run.path);
    await linkOrCopy(run.path, runPath(dir, run.name));
  }
  await writeFileAtomic(manifestPath(dir, plan.version), encodeManifest({ numKeys: plan.numKeys, runs: plan.runs.map((r) => r.name) }));
}

/**
 * Deletes files not needed to load any version ≥ `minVersionToRetain` (Spark's cleanup
 * with minBatchesToRetain): changelogs and manifests older than the latest manifest at or
 * below it, and run files no remaining manifest names.
 */
export async function purgeDiskCheckpoint(dir: string, minVersionToRetain: number): Promise<void> {
  const files = await listDiskCheckpointFiles(dir);
  let base = 0;
  for (const v of files.manifests) if (v <= minVersionToRetain && v > base) base = v;
  if (base === 0) return;
  const doomed = [
    ...[...files.changelogs].filter((v) => v < base).map((v) => changelogPath(dir, v)),
    ...[...files.manifests].filter((v) => v < base).map((v) => manifestPath(dir, v)),
  ];
  for (const file of doomed) await unlinkIfExists(file);
  const referenced = new Set<string>();
  for (const v of files.manifests) {
    if (v >= base) for (const run of (await readManifest(manifestPath(dir, v))).runs) referenced.add(run);
  }
  for (const name of await listRunFiles(dir)) {
    if (!referenced.has(name)) await unlinkIfExists(runPath(dir, name));
  }
}

/** What a manifest plan needs of the engine: its runs, its flush count, and pinning their files. */
interface RunsSource {
  readonly runs: ReadonlyArray<{ path: string; name: string; fileBytes: number }>;
  readonly counters: { readonly flushes: number };
  pinFiles(): void;
  unpinFiles(): void;
}

/** The runs' list now, for the manifest of `version` (which they must hold exactly): their files pinned until its upload is done. */
export function planManifest(engine: RunsSource, version: number, numKeys: number): ManifestPlan {
  engine.pinFiles();
  return { version, numKeys, runs: engine.runs.map((r) => ({ path: r.path, name: r.name, fileBytes: r.fileBytes })) };
}

/**
 * The version a sealed memtable holds, until its flush is done: then, unless another flush
 * came between, the runs hold exactly that version, and their list is taken at once for its
 * manifest (a slice of background work between commits may finish the flush; the next
 * commit writes the manifest).
 */
export class SealedVersion {
  #sealed: { version: number; numKeys: number; flushes: number } | null = null;
  #ready: ManifestPlan | null = null;

  constructor(readonly engine: RunsSource) {}

  /** The engine sealed its memtable after `version` (with `numKeys`). */
  sealed(version: number, numKeys: number): void {
    this.#sealed = { version, numKeys, flushes: this.engine.counters.flushes };
  }

  /** The sealed memtable's flush has just finished. */
  flushed(): void {
    const sealed = this.#sealed;
    this.#sealed = null;
    if (sealed === null || this.engine.counters.flushes !== sealed.flushes + 1) return;
    this.#dropReady();
    this.#ready = planManifest(this.engine, sealed.version, sealed.numKeys);
  }

  /** The manifest plan a finished flush left, if any (the caller uploads it, which unpins its files). */
  takeReady(): ManifestPlan | null {
    const ready = this.#ready;
    this.#ready = null;
    return ready;
  }

  /** Forgets the sealed version and any plan (the memtables were written out otherwise, or the working copy is dropped). */
  forget(): void {
    this.#sealed = null;
    this.#dropReady();
  }

  #dropReady(): void {
    if (this.#ready === null) return;
    this.#ready = null;
    this.engine.unpinFiles();
  }
}
