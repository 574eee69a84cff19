import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InternalError, StateError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { StateChanges } from "../change-overlay.ts";
import type { StateStore, StateStoreProvider } from "../state-store.ts";
import { BackgroundWork } from "./background-work.ts";
import { encodePendingChangelog, putPendingChanges, readChangelog } from "./changelog-file.ts";
import { linkOrCopy, unlinkIfExists } from "./checkpoint-file-ops.ts";
import { planManifest, purgeDiskCheckpoint, SealedVersion, uploadSnapshot, type ManifestPlan } from "./checkpoint-snapshots.ts";
import { commitMetrics } from "./commit-metrics.ts";
import { compactionStep, flushStep } from "./commit-pacing.ts";
import {
  changelogPath, listDiskCheckpointFiles, manifestPath, readManifest, runPath, type DiskCheckpointFiles,
} from "./disk-checkpoint-files.ts";
import { DiskStateStore } from "./disk-state-store.ts";
import { writeFileDurably } from "./durable-write.ts";
import { DEFAULT_MAX_RUN_BYTES, RunEngine } from "./run-engine.ts";
import { changelogWriteError, UnsyncedChangelogs } from "./unsynced-changelogs.ts";

const log = new Logger("DiskStateStoreProvider");

export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

export interface DiskStateStoreProviderOptions {
  /** The operator partition's checkpoint directory, CheckpointPaths.state(operatorId, partition). */
  readonly dir: string;
  /** Where the working copy's run files are kept (a fresh sub-directory per provider); default os.tmpdir(). */
  readonly localDir?: string;
  /** Memory for the memtable, the block cache and the runs' filters; default 256 MiB. */
  readonly memoryBudgetBytes?: number;
  /** Versions between two snapshots (Spark's minDeltasForSnapshot); default 10. */
  readonly minDeltasForSnapshot?: number;
  /** The most one merge of runs writes (compaction-policy.ts); default 512 MiB. */
  readonly maxRunBytes?: number;
}

/**
 * Versioned state on disk with bounded memory (Spark's RocksDBStateStoreProvider with
 * changelog checkpointing, on rivulet's log-structured engine, run-engine.ts). Each commit
 * writes `<version>.changelog` — what the version changed, nothing else — and applies it to
 * the local working copy. When the memtable is written out as a run (it reached its share
 * of the memory budget), and every `minDeltasForSnapshot` versions if that is cheap, the
 * run files not yet in the checkpoint are uploaded (hard-linked when the local directory is
 * on the same file system, else copied) with a `<version>.manifest` naming them: a run is
 * uploaded once and shared by later manifests, as Spark shares SST files. Version N is the
 * latest manifest ≤ N plus the changelogs after it (at most a memtable's worth). A restart,
 * another process or a lost local directory rebuilds the working copy from the checkpoint.
 */
export class DiskStateStoreProvider<V = unknown> implements StateStoreProvider<V> {
  readonly dir: string;
  readonly localRoot: string;
  readonly minDeltasForSnapshot: number;
  readonly memoryBudgetBytes: number;
  readonly maxRunBytes: number;
  #engine: RunEngine | null = null;
  #localPath: string | null = null;
  /** The version the working copy holds; -1 when it must be rebuilt. */
  #localVersion = -1;
  #numKeys = 0;
  #lastSnapshot = 0;
  /** The newest manifest version in the checkpoint as far as this provider knows (listed at a rebuild, or written since). */
  #newestManifest = Infinity;
  #pendingSnapshot: Promise<void> | null = null;
  /** The version the engine's sealed memtable holds, for its manifest once it is written out. */
  #sealed: SealedVersion | null = null;
  /** The engine's flushing and merging in the thread's idle time (background-work.ts). */
  #work: BackgroundWork | null = null;
  /** While the working copy is rebuilt or rolled forward: no background slices. */
  #rolling = false;
  #leased = false;
  #closed = false;
  /** The changelogs of versions committed in memory (commitInMemory) being written and fsynced. */
  readonly #unsynced = new UnsyncedChangelogs();

  constructor(options: DiskStateStoreProviderOptions) {
    this.dir = options.dir;
    this.localRoot = options.localDir ?? tmpdir();
    this.minDeltasForSnapshot = options.minDeltasForSnapshot ?? 10;
    this.memoryBudgetBytes = options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES;
    this.maxRunBytes = options.maxRunBytes ?? DEFAULT_MAX_RUN_BYTES;
    if (!Number.isSafeInteger(this.minDeltasForSnapshot) || this.minDeltasForSnapshot < 1) {
      throw new InternalError(`minDeltasForSnapshot must be a positive integer, not ${options.minDeltasForSnapshot}`);
    }
  }

  changelogFile(version: number): string {
    return changelogPath(this.dir, version);
  }

  manifestFile(version: number): string {
    return manifestPath(this.dir, version);
  }

  runFile(name: string): string {
    return runPath(this.dir, name);
  }

  /** The working copy's directory (null before the first load). */
  get localPath(): string | null {
    return this.#localPath;
  }

  async load(version: number): Promise<StateStore<V>> {
    this.#checkOpen();
    if (!Number.isSafeInteger(version) || version < 0) throw new InternalError(`state version must be a non-negative integer, not ${version}`);
    // No version is built on one that may not become durable: a failed changelog fails the load too.
    await this.durable();
    if (this.#leased) throw new InternalError(`state store ${this.dir}: version ${this.#localVersion + 1} is already being updated by another store`);
    if (this.#localVersion !== version) {
      this.#rolling = true;
      try {
        await this.#rollTo(version);
      } finally {
        this.#rolling = false;
      }
    }
    this.#leased = true;
    return new DiskStateStore<V>(version, this.#engine!, this.#numKeys, {
      commit: (newVersion, changes, numKeys, durably) => this.#commit(newVersion, changes, numKeys, durably),
      abort: () => {
        this.#engine?.abortPending();
        this.#leased = false;
        this.#work?.schedule();
      },
    }, `state store ${this.dir}`);
  }

  /**
   * Deletes files not needed to load any version ≥ `minVersionToRetain` (Spark's cleanup
   * with minBatchesToRetain): changelogs and manifests older than the latest manifest at or
   * below it, and run files no remaining manifest names.
   */
  async purge(minVersionToRetain: number): Promise<void> {
    await this.durable();
    await this.#pendingSnapshot;
    await purgeDiskCheckpoint(this.dir, minVersionToRetain);
  }

  /**
   * Resolves once the changelogs of every version committed so far are durable; rejects with
   * the StateError of one that cannot be (reported once: the working copy, which may hold
   * that version, is rebuilt from the checkpoint at the next load).
   */
  durable(): Promise<void> {
    return this.#unsynced.durable();
  }

  /** Closes the working copy and deletes it (the checkpoint keeps the state). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Its changelogs' writes end first; a failure not reported yet is logged (nothing named the version).
    await this.durable().catch((error: unknown) => log.warn(`closing ${this.dir}: ${String(error)}`));
    await this.#pendingSnapshot;
    await this.#dropLocal();
  }

  async #commit(newVersion: number, changes: StateChanges<V>, numKeys: number, durably: boolean): Promise<Record<string, number>> {
    this.#checkOpen();
    const engine = this.#engine!;
    const t0 = performance.now();
    let bytes: Buffer;
    try {
      // The version's records are the memtable's pending ones: the keys putIfAbsent added,
      // then the puts and removes; the changelog is their bytes as they are.
      putPendingChanges(engine.memtable, changes);
      bytes = encodePendingChangelog(engine.memtable, numKeys);
    } catch (error) {
      engine.abortPending();
      throw new StateError(`cannot serialise state version ${newVersion} in ${this.dir}: ${String(error)}`, { cause: error });
    }
    // A re-run of a version writes it anew: manifests from the earlier run are stale. Only
    // a version at or below the newest manifest can be a re-run; the common commit skips the
    // listing (and does not wait for an upload in flight).
    if (newVersion <= this.#newestManifest) {
      await this.#pendingSnapshot;
      const stale = [...(await listDiskCheckpointFiles(this.dir)).manifests].filter((v) => v >= newVersion);
      for (const v of stale) await unlinkIfExists(this.manifestFile(v));
      this.#newestManifest = newVersion - 1;
    }
    const t1 = performance.now();
    // The changelog is written and fsynced while the engine applies it: a durable commit
    // returns once both are done, a commit in memory once the apply is (durable() waits for
    // the write); either way the version is durable before the commit log names it.
    let writtenAt = 0;
    let settled = false;
    const file = this.changelogFile(newVersion);
    const written = writeFileDurably(file, bytes).then(
      () => { writtenAt = performance.now(); settled = true; return null; },
      (error: unknown) => { settled = true; return { error }; },
    );
    const before = { ...engine.counters };
    const work = this.#work!;
    const sinceManifest = newVersion - this.#lastSnapshot;
    let applyFailure: { error: unknown } | null = null;
    let t2 = 0;
    try {
      // The records are in the memtable already: committing them is a mark, no second indexing.
      engine.commitPending();
      engine.liveKeys = numKeys;
      if (engine.maybeFlush()) this.#sealed!.sealed(newVersion, numKeys);
      if (work.paced(flushStep(bytes.length), compactionStep(bytes.length))) this.#sealed!.flushed();
      t2 = performance.now();
      // Until the changelog is durable, the thread would wait: later commits' flushing and merging fill it.
      if (durably) await work.whileWaiting(() => settled); // a failed write ends the wait too: its error comes out below
    } catch (error) {
      applyFailure = { error };
      t2 ||= performance.now();
    }
    if (durably || applyFailure !== null) {
      const writeFailure = await written;
      if (writeFailure !== null) {
        // The working copy may hold the version that did not become durable: rebuild it on the next load.
        this.#brokenLocal();
        throw changelogWriteError(newVersion, file, writeFailure.error);
      }
    }
    if (applyFailure !== null) {
      this.#brokenLocal();
      throw new StateError(`cannot apply state version ${newVersion} to the working copy in ${this.#localPath}: ${String(applyFailure.error)}`, { cause: applyFailure.error });
    }
    const t3 = performance.now();
    this.#localVersion = newVersion;
    this.#numKeys = numKeys;
    let uploaded = { files: 0, bytes: 0 };
    // A manifest whenever a sealed memtable has been written out (for the version it was
    // sealed at: the runs hold exactly that one), and every minDeltasForSnapshot versions
    // when writing the memtable out is cheap (a small memtable) or overdue, so that purging
    // can drop old changelogs. One upload at a time; the run list is taken now, the copying
    // runs in the background.
    const ready = this.#sealed!.takeReady();
    const due = sinceManifest >= this.minDeltasForSnapshot &&
      ((!engine.flushing && engine.memtableBytesUsed < engine.memtableBytes / 8) || sinceManifest >= 10 * this.minDeltasForSnapshot);
    if (ready !== null) {
      await this.#pendingSnapshot;
      uploaded = this.#startSnapshot(ready);
    } else if (due) {
      this.#sealed!.forget();
      await this.#pendingSnapshot;
      // The memtables written out first: the runs then hold this version.
      engine.flush();
      uploaded = this.#startSnapshot(planManifest(engine, newVersion, this.#numKeys));
    }
    const t4 = performance.now();
    this.#leased = false;
    work.schedule();
    const metrics = commitMetrics({ t0, t1, t2, t3, t4, writtenAt }, engine, before, work.takeMs(), uploaded, bytes.length);
    if (!durably) {
      // If the write fails, the working copy holds a version the checkpoint lacks: rebuilt at the next load, which reports the failure first.
      this.#unsynced.add(newVersion, file, written, () => { metrics.rocksdbCommitFileSyncLatencyMs = Math.round(writtenAt - t1); }, () => this.#brokenLocal());
    }
    return metrics;
  }

  /**
   * In the background, uploads the plan's runs that the checkpoint lacks and writes the
   * manifest. Until the manifest is there, the changelogs hold the version; the engine
   * keeps the runs' files (pinned by planManifest) until the upload is done.
   */
  #startSnapshot(plan: ManifestPlan): { files: number; bytes: number } {
    const engine = this.#engine!;
    const version = plan.version;
    const missing = plan.runs.filter((r) => !existsSync(this.runFile(r.name)));
    const pending: Promise<void> = uploadSnapshot(this.dir, plan, missing)
      .then(() => {
        this.#lastSnapshot = Math.max(this.#lastSnapshot, version);
      })
      .catch((error: unknown) => log.warn(`cannot write state snapshot ${this.manifestFile(version)} (the changelogs still hold the state): ${String(error)}`))
      .finally(() => {
        engine.unpinFiles();
        if (this.#pendingSnapshot === pending) this.#pendingSnapshot = null;
      });
    this.#pendingSnapshot = pending;
    // Counted as started, so that versions keep their cadence while the upload runs.
    this.#lastSnapshot = version;
    this.#newestManifest = Math.max(this.#newestManifest, version);
    return { files: missing.length, bytes: missing.reduce((n, r) => n + r.fileBytes, 0) };
  }

  /** Brings the working copy to `version`: forward by changelogs, or rebuilt from the checkpoint. */
  async #rollTo(version: number): Promise<void> {
    await this.#pendingSnapshot;
    const files = await listDiskCheckpointFiles(this.dir);
    this.#newestManifest = Math.max(0, ...files.manifests);
    const from = this.#localVersion;
    this.#sealed?.forget();
    if (from >= 0 && from < version && this.#engine !== null && hasChangelogs(files, from, version)) {
      await this.#replay(from, version);
      return;
    }
    let snapshot = 0;
    for (const v of files.manifests) if (v <= version && v > snapshot && hasChangelogs(files, v, version)) snapshot = v;
    if (!hasChangelogs(files, snapshot, version)) {
      const missing: string[] = [];
      for (let v = snapshot + 1; v <= version; v++) if (!files.changelogs.has(v)) missing.push(`${v}.changelog`);
      throw new StateError(
        `cannot load state version ${version} from ${this.dir}: ` +
          (snapshot === 0 ? "no manifest at or below it and " : `after ${snapshot}.manifest `) +
          `missing ${missing.length > 5 ? `${missing.slice(0, 5).join(", ")} … (${missing.length} files)` : missing.join(", ")}. ` +
          `The checkpoint was purged past this version, is damaged, or was written by another state store provider`,
      );
    }
    await this.#dropLocal();
    const local = join(this.localRoot, `rivulet-state-${process.pid}-${randomUUID().slice(0, 8)}`);
    await mkdir(local, { recursive: true });
    this.#localPath = local;
    // A quarter of the budget for the memtable (its estimate leaves out garbage not yet
    // collected), half for the block cache, which holds the runs' filter and index
    // partitions (10 bits a key) as well as data blocks; the rest for the runs' top indexes
    // (some 24 bytes per 256 KiB of run) and merges' buffers.
    const engine = new RunEngine(local, Math.floor(this.memoryBudgetBytes / 4), Math.floor(this.memoryBudgetBytes / 2), this.maxRunBytes);
    this.#engine = engine;
    const sealed = new SealedVersion(engine);
    this.#sealed = sealed;
    // A flush thread's run may be taken in by maybeFlush, before it seals the next memtable.
    engine.onSealedFlushed = () => sealed.flushed();
    this.#work = new BackgroundWork(
      engine,
      // Not on a working copy that may hold a version which did not become durable (#brokenLocal): it is rebuilt.
      () => !this.#leased && !this.#rolling && !this.#closed && this.#engine === engine && this.#localVersion >= 0,
      () => this.#sealed!.flushed(),
      (error) => {
        log.warn(`background flush or merge failed in ${local} (the working copy is rebuilt from the checkpoint): ${String(error)}`);
        this.#brokenLocal();
      },
    );
    this.#numKeys = 0;
    if (snapshot > 0) {
      const manifest = await readManifest(this.manifestFile(snapshot));
      const restored: Array<{ path: string; name: string }> = [];
      for (const name of manifest.runs) {
        const path = join(local, name);
        try {
          await linkOrCopy(this.runFile(name), path);
        } catch (error) {
          throw new StateError(`cannot restore state run ${this.runFile(name)} (named by ${snapshot}.manifest) into ${local}`, { cause: error });
        }
        restored.push({ path, name });
      }
      engine.openRuns(restored);
      this.#numKeys = manifest.numKeys;
    }
    this.#lastSnapshot = snapshot;
    this.#localVersion = snapshot;
    await this.#replay(snapshot, version);
  }

  async #replay(from: number, to: number): Promise<void> {
    const engine = this.#engine!;
    for (let v = from + 1; v <= to; v++) {
      const file = this.changelogFile(v);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new StateError(`cannot read state version ${v} from ${this.dir}: ${file}: ${String(error)}`, { cause: error });
      }
      this.#numKeys = readChangelog(bytes, file, (start, end) => engine.setRecord(bytes, start, end));
      engine.maybeFlush();
      engine.flushStep(flushStep(bytes.length));
      engine.compact(compactionStep(bytes.length));
      this.#localVersion = v;
    }
  }

  /** The working copy may hold part of a version: rebuild it from the checkpoint on the next load. */
  #brokenLocal(): void {
    this.#localVersion = -1;
    this.#sealed?.forget();
    this.#leased = false;
  }

  async #dropLocal(): Promise<void> {
    this.#work?.stop();
    this.#work = null;
    this.#sealed?.forget();
    this.#sealed = null;
    this.#engine?.close();
    this.#engine = null;
    this.#localVersion = -1;
    if (this.#localPath !== null) await rm(this.#localPath, { recursive: true, force: true });
    this.#localPath = null;
  }

  #checkOpen(): void {
    if (this.#closed) throw new InternalError(`state store provider for ${this.dir} is closed`);
  }
}

function hasChangelogs(files: DiskCheckpointFiles, from: number, to: number): boolean {
  for (let v = from + 1; v <= to; v++) if (!files.changelogs.has(v)) return false;
  return true;
}
