import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorCode, writeFileAtomic } from "../../common/atomic-file.ts";
import { InternalError, StateError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { REMOVED } from "../overlay-state-store.ts";
import type { StateChanges } from "../overlay-state-store.ts";
import { encodeDelta, readStateFile } from "../state-file-format.ts";
import type { StateStore, StateStoreProvider } from "../state-store.ts";
import { listLmdbCheckpointFiles, type LmdbCheckpointFiles } from "./lmdb-checkpoint-files.ts";
import { openLmdb, type LmdbDatabase } from "./lmdb-engine.ts";
import { LmdbStateStore } from "./lmdb-state-store.ts";
import { ValueCache } from "./value-cache.ts";
import { encodeValue } from "../value-codec.ts";

const log = new Logger("LmdbStateStoreProvider");

/** Keys in the engine's order for strings of one kind (numbers first, as ordered-binary sorts them). */
function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export const DEFAULT_MEMORY_BUDGET_BYTES = 256 * 1024 * 1024;

export interface LmdbStateStoreProviderOptions {
  /** The operator partition's checkpoint directory, CheckpointPaths.state(operatorId, partition). */
  readonly dir: string;
  /** Where the working database is kept (a fresh sub-directory per provider); default os.tmpdir(). */
  readonly localDir?: string;
  /** Memory the store may use for its value cache and write batch; default 256 MiB. */
  readonly memoryBudgetBytes?: number;
  /** At least this many versions between two snapshots (Spark's minDeltasForSnapshot); default 10. */
  readonly minDeltasForSnapshot?: number;
}

/**
 * Versioned state on disk (Spark's RocksDBStateStoreProvider with changelog checkpointing,
 * on the LMDB engine: see benchmarks/RESULTS.md for why LMDB). The working database lives
 * in a local directory; the checkpoint directory holds what makes each version durable:
 *
 *     <version>.changelog   the version's puts and removes (the file provider's delta format)
 *     <version>.lmdb        now and then, a compacted copy of the database after that version
 *
 * Version N is the latest snapshot ≤ N plus the changelogs after it, so a batch writes only
 * what it changed. A snapshot is taken at least `minDeltasForSnapshot` versions after the
 * previous one, once the changelogs since it add up to half its size: the bytes copied stay
 * proportional to the bytes changed, and a rebuild replays at most about a state's worth of
 * changelogs. A restart, another process or a deleted local directory rebuilds the working
 * database from the checkpoint.
 */
export class LmdbStateStoreProvider<V = unknown> implements StateStoreProvider<V> {
  readonly dir: string;
  readonly localRoot: string;
  readonly minDeltasForSnapshot: number;
  readonly #cache: ValueCache<V>;
  #db: LmdbDatabase | null = null;
  #localPath: string | null = null;
  /** The version the working database holds; -1 when it must be rebuilt. */
  #localVersion = -1;
  #numKeys = 0;
  #leased = false;
  #closed = false;
  #pendingSnapshot: Promise<void> | null = null;
  #lastSnapshot = { version: 0, bytes: 0 };
  #changelogBytesSinceSnapshot = 0;
  /** Snapshots at or above this version may be stale (a re-run rewrites their versions). */
  #maxSnapshotOnDisk = 0;

  constructor(options: LmdbStateStoreProviderOptions) {
    this.dir = options.dir;
    this.localRoot = options.localDir ?? tmpdir();
    this.minDeltasForSnapshot = options.minDeltasForSnapshot ?? 10;
    if (!Number.isSafeInteger(this.minDeltasForSnapshot) || this.minDeltasForSnapshot < 1) {
      throw new InternalError(`minDeltasForSnapshot must be a positive integer, not ${options.minDeltasForSnapshot}`);
    }
    // A quarter of the budget caches decoded values; the rest is the write batch and the engine's mapped pages.
    this.#cache = new ValueCache<V>(Math.floor((options.memoryBudgetBytes ?? DEFAULT_MEMORY_BUDGET_BYTES) / 4));
  }

  changelogFile(version: number): string {
    return join(this.dir, `${version}.changelog`);
  }

  snapshotFile(version: number): string {
    return join(this.dir, `${version}.lmdb`);
  }

  /** The working database's directory (null before the first load). */
  get localPath(): string | null {
    return this.#localPath;
  }

  async load(version: number): Promise<StateStore<V>> {
    this.#checkOpen();
    if (!Number.isSafeInteger(version) || version < 0) throw new InternalError(`state version must be a non-negative integer, not ${version}`);
    if (this.#leased) throw new InternalError(`state store ${this.dir}: version ${this.#localVersion + 1} is already being updated by another store`);
    if (this.#localVersion !== version) await this.#rollTo(version);
    this.#leased = true;
    const db = this.#db!;
    return new LmdbStateStore<V>(version, db, this.#numKeys, this.#cache, {
      commit: (newVersion, changes, numKeys) => this.#commit(newVersion, changes, numKeys),
      abort: () => {
        // Values handed out by get() may have been mutated in place.
        this.#cache.clear();
        this.#leased = false;
      },
    }, `state store ${this.dir}`);
  }

  /**
   * Deletes files not needed to load any version ≥ `minVersionToRetain` (Spark's cleanup
   * with minBatchesToRetain): everything older than the latest snapshot at or below it.
   */
  async purge(minVersionToRetain: number): Promise<void> {
    await this.#pendingSnapshot;
    const files = await listLmdbCheckpointFiles(this.dir);
    let base = 0;
    for (const v of files.snapshots.keys()) if (v <= minVersionToRetain && v > base) base = v;
    if (base === 0) return;
    const doomed = [
      ...[...files.changelogs.keys()].filter((v) => v < base).map((v) => this.changelogFile(v)),
      ...[...files.snapshots.keys()].filter((v) => v < base).map((v) => this.snapshotFile(v)),
    ];
    for (const file of doomed) {
      await unlink(file).catch((error: unknown) => {
        if (errorCode(error) !== "ENOENT") throw new StateError(`cannot delete state file ${file}`, { cause: error });
      });
    }
  }

  /** Waits for a snapshot in progress, closes the working database and deletes it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pendingSnapshot?.catch(() => undefined);
    await this.#dropLocal();
    this.#cache.clear();
  }

  async #commit(newVersion: number, changes: StateChanges<V>, numKeys: number): Promise<Record<string, number>> {
    this.#checkOpen();
    const db = this.#db!;
    const t0 = performance.now();
    let bytes: Buffer;
    try {
      bytes = encodeDelta(changes);
    } catch (error) {
      throw new StateError(`cannot serialise state version ${newVersion} in ${this.dir}: ${String(error)}`, { cause: error });
    }
    if (newVersion <= this.#maxSnapshotOnDisk) await this.#deleteSnapshotsFrom(newVersion);
    // A snapshot copies the database as it is when the copy starts: no write until it has.
    await this.#pendingSnapshot;
    const t1 = performance.now();
    // The engine applies the writes in its own thread (in key order: fewer pages touched)
    // while this one writes the changelog; the version counts as committed when both are done.
    let written: Promise<unknown> = Promise.resolve();
    try {
      for (const key of [...changes.keys()].sort(compareKeys)) {
        const change = changes.get(key)!;
        if (change === REMOVED) {
          written = db.remove(key);
          this.#cache.delete(key);
        } else {
          const encoded = encodeValue(change);
          written = db.put(key, encoded);
          if (typeof change === "object" && change !== null) this.#cache.set(key, change, encoded.length);
        }
      }
    } catch (error) {
      this.#brokenLocal();
      throw new StateError(`cannot apply state version ${newVersion} to the working database in ${this.#localPath}: ${String(error)}`, { cause: error });
    }
    let changelogMs = 0;
    const changelog = writeFileAtomic(this.changelogFile(newVersion), bytes).then(
      () => { changelogMs = performance.now() - t1; },
      (error: unknown) => { throw new StateError(`cannot write state version ${newVersion} to ${this.changelogFile(newVersion)}`, { cause: error }); },
    );
    const applied = written.catch((error: unknown) => {
      throw new StateError(`cannot apply state version ${newVersion} to the working database in ${this.#localPath}: ${String(error)}`, { cause: error });
    });
    const [c, a] = await Promise.allSettled([changelog, applied]);
    if (c.status === "rejected" || a.status === "rejected") {
      this.#brokenLocal();
      throw c.status === "rejected" ? c.reason : (a as PromiseRejectedResult).reason;
    }
    const t3 = performance.now();
    this.#localVersion = newVersion;
    this.#numKeys = numKeys;
    this.#leased = false;
    this.#changelogBytesSinceSnapshot += bytes.length;
    const snapshotted = this.#maybeSnapshot(newVersion);
    return {
      rocksdbCommitFileSyncLatencyMs: Math.round(changelogMs),
      rocksdbCommitPauseLatency: Math.round(t1 - t0),
      rocksdbCommitWriteBatchLatency: Math.round(t3 - t1),
      stateSnapshotStarted: snapshotted ? 1 : 0,
      rocksdbSstFileSize: this.#localBytes(),
      stateChangelogBytes: bytes.length,
      stateCacheBytes: this.#cache.bytes,
    };
  }

  #maybeSnapshot(version: number): boolean {
    if (this.#pendingSnapshot !== null) return false;
    if (version - this.#lastSnapshot.version < this.minDeltasForSnapshot) return false;
    if (this.#changelogBytesSinceSnapshot < this.#lastSnapshot.bytes / 2) return false;
    const db = this.#db!;
    const tmp = join(this.dir, `.${version}.lmdb.tmp`);
    const file = this.snapshotFile(version);
    const pending = (async () => {
      await rm(tmp, { recursive: true, force: true });
      await mkdir(tmp, { recursive: true });
      await db.backup(tmp, true);
      await rename(join(tmp, "data.mdb"), file);
      await rm(tmp, { recursive: true, force: true });
      this.#lastSnapshot = { version, bytes: statSync(file).size };
      this.#changelogBytesSinceSnapshot = 0;
      this.#maxSnapshotOnDisk = Math.max(this.#maxSnapshotOnDisk, version);
    })()
      .catch((error: unknown) => log.warn(`cannot write snapshot ${file} (the changelogs still hold the state): ${String(error)}`))
      .finally(() => {
        if (this.#pendingSnapshot === pending) this.#pendingSnapshot = null;
      });
    this.#pendingSnapshot = pending;
    return true;
  }

  /** Brings the working database to `version`: forward by changelogs, or rebuilt from the checkpoint. */
  async #rollTo(version: number): Promise<void> {
    await this.#pendingSnapshot;
    const files = await listLmdbCheckpointFiles(this.dir);
    for (const v of files.snapshots.keys()) this.#maxSnapshotOnDisk = Math.max(this.#maxSnapshotOnDisk, v);
    const from = this.#localVersion;
    if (from >= 0 && from < version && this.#db !== null && this.#hasChangelogs(files, from, version)) {
      await this.#replay(from, version);
      return;
    }
    let snapshot = 0;
    for (const v of files.snapshots.keys()) if (v <= version && v > snapshot) snapshot = v;
    if (!this.#hasChangelogs(files, snapshot, version)) {
      const missing: string[] = [];
      for (let v = snapshot + 1; v <= version; v++) if (!files.changelogs.has(v)) missing.push(`${v}.changelog`);
      throw new StateError(
        `cannot load state version ${version} from ${this.dir}: ` +
          (snapshot === 0 ? "no snapshot at or below it and " : `after ${snapshot}.lmdb `) +
          `missing ${missing.length > 5 ? `${missing.slice(0, 5).join(", ")} … (${missing.length} files)` : missing.join(", ")}. ` +
          `The checkpoint was purged past this version, is damaged, or was written by another state store provider`,
      );
    }
    await this.#dropLocal();
    const local = join(this.localRoot, `rivulet-state-${process.pid}-${randomUUID().slice(0, 8)}`);
    await mkdir(local, { recursive: true });
    this.#localPath = local;
    if (snapshot > 0) {
      try {
        await copyFile(this.snapshotFile(snapshot), join(local, "data.mdb"));
      } catch (error) {
        throw new StateError(`cannot restore state snapshot ${this.snapshotFile(snapshot)} into ${local}`, { cause: error });
      }
    }
    this.#db = await openLmdb(local);
    this.#cache.clear();
    this.#lastSnapshot = { version: snapshot, bytes: files.snapshots.get(snapshot) ?? 0 };
    this.#changelogBytesSinceSnapshot = 0;
    this.#localVersion = snapshot;
    await this.#replay(snapshot, version);
  }

  async #replay(from: number, to: number): Promise<void> {
    const db = this.#db!;
    for (let v = from + 1; v <= to; v++) {
      const file = this.changelogFile(v);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new StateError(`cannot read state version ${v} from ${this.dir}: ${file}: ${String(error)}`, { cause: error });
      }
      db.transactionSync(() => {
        readStateFile<V>(bytes, "delta", file, (key, value) => {
          if (value === undefined) db.removeSync(key);
          else db.putSync(key, encodeValue(value));
        });
      });
      this.#changelogBytesSinceSnapshot += bytes.length;
      this.#localVersion = v;
    }
    this.#cache.clear();
    this.#numKeys = (db.getStats() as { entryCount: number }).entryCount;
  }

  #hasChangelogs(files: LmdbCheckpointFiles, from: number, to: number): boolean {
    for (let v = from + 1; v <= to; v++) if (!files.changelogs.has(v)) return false;
    return true;
  }

  async #deleteSnapshotsFrom(version: number): Promise<void> {
    const files = await listLmdbCheckpointFiles(this.dir);
    for (const v of files.snapshots.keys()) {
      if (v >= version) await unlink(this.snapshotFile(v)).catch(() => undefined);
    }
    this.#maxSnapshotOnDisk = version - 1;
  }

  /** The working database may hold part of a version: rebuild it from the checkpoint on the next load. */
  #brokenLocal(): void {
    this.#localVersion = -1;
    this.#leased = false;
    this.#cache.clear();
  }

  #localBytes(): number {
    try {
      return this.#localPath === null ? 0 : statSync(join(this.#localPath, "data.mdb")).size;
    } catch {
      return 0;
    }
  }

  async #dropLocal(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    this.#localVersion = -1;
    if (db !== null) await db.close();
    if (this.#localPath !== null) await rm(this.#localPath, { recursive: true, force: true });
    this.#localPath = null;
  }

  #checkOpen(): void {
    if (this.#closed) throw new InternalError(`state store provider for ${this.dir} is closed`);
  }
}
