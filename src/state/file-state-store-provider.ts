import { readdir, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic, errorCode } from "../common/atomic-file.ts";
import type { CheckpointPaths } from "../checkpoint/paths.ts";
import { InternalError, StateError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import { applyChanges, OverlayStateStore } from "./overlay-state-store.ts";
import type { StateChanges, StoreHooks } from "./overlay-state-store.ts";
import { applyStateFile, encodeDelta, encodeSnapshot } from "./state-file-format.ts";
import type { StateFileKind } from "./state-file-format.ts";
import type { StateKey, StateStore, StateStoreProvider } from "./state-store.ts";

const log = new Logger("FileStateStoreProvider");

export interface FileStateStoreProviderOptions {
  /** The operator partition's directory, CheckpointPaths.state(operatorId, partition). */
  readonly dir: string;
  /** Write a full snapshot at every version that is a multiple of this (Spark's minDeltasForSnapshot). Default 10. */
  readonly minDeltasForSnapshot?: number;
}

interface Cached<V> {
  readonly version: number;
  readonly map: Map<StateKey, V>;
  /** A store is updating this map in place. */
  leased: boolean;
}

/**
 * Versioned state in files (Spark's HDFSBackedStateStoreProvider). Each commit writes
 * `<version>.delta`, the version's puts and removes; every `minDeltasForSnapshot`
 * versions also `<version>.snapshot`, the whole map (written in the background). Version
 * N is the latest snapshot ≤ N plus the deltas after it; version 0 is empty.
 *
 * The latest committed map stays in memory and is handed to the next store as its base,
 * so loading the version just committed reads no file.
 */
export class FileStateStoreProvider<V = unknown> implements StateStoreProvider<V> {
  readonly dir: string;
  readonly minDeltasForSnapshot: number;
  #latest: Cached<V> | null = null;
  readonly #pendingSnapshots = new Set<Promise<void>>();
  #closed = false;

  constructor(options: FileStateStoreProviderOptions) {
    this.dir = options.dir;
    this.minDeltasForSnapshot = options.minDeltasForSnapshot ?? 10;
    if (!Number.isSafeInteger(this.minDeltasForSnapshot) || this.minDeltasForSnapshot < 1) {
      throw new InternalError(`minDeltasForSnapshot must be a positive integer, not ${options.minDeltasForSnapshot}`);
    }
  }

  static forOperator<V = unknown>(
    paths: CheckpointPaths,
    operatorId: number,
    partition = 0,
    options: Omit<FileStateStoreProviderOptions, "dir"> = {},
  ): FileStateStoreProvider<V> {
    return new FileStateStoreProvider<V>({ ...options, dir: paths.state(operatorId, partition) });
  }

  deltaFile(version: number): string {
    return join(this.dir, `${version}.delta`);
  }

  snapshotFile(version: number): string {
    return join(this.dir, `${version}.snapshot`);
  }

  async load(version: number): Promise<StateStore<V>> {
    this.#checkOpen();
    if (!Number.isSafeInteger(version) || version < 0) throw new InternalError(`state version must be a non-negative integer, not ${version}`);
    const cached = this.#latest;
    if (cached !== null && cached.version === version && !cached.leased) {
      cached.leased = true;
      return this.#store(version, cached.map);
    }
    const map = await this.#loadFromFiles(version);
    // A store still updating the cached map keeps it; otherwise the loaded map is the one to keep.
    if (this.#latest === null || !this.#latest.leased) this.#latest = { version, map, leased: true };
    return this.#store(version, map);
  }

  /**
   * Deletes files not needed to load any version ≥ `minVersionToRetain` (Spark's cleanup
   * with minBatchesToRetain): everything older than the latest snapshot at or below it.
   */
  async purge(minVersionToRetain: number): Promise<void> {
    await this.#awaitSnapshots();
    const files = await this.#listFiles();
    let base = 0;
    for (const f of files) if (f.kind === "snapshot" && f.version <= minVersionToRetain && f.version > base) base = f.version;
    if (base === 0) return;
    for (const f of files) {
      if (f.version >= base) continue;
      await unlink(join(this.dir, f.name)).catch((error: unknown) => {
        if (errorCode(error) !== "ENOENT") throw new StateError(`cannot delete state file ${join(this.dir, f.name)}`, { cause: error });
      });
    }
  }

  /** Waits for background snapshot writes. */
  async close(): Promise<void> {
    await this.#awaitSnapshots();
    this.#closed = true;
    this.#latest = null;
  }

  #store(version: number, base: Map<StateKey, V>): StateStore<V> {
    const hooks: StoreHooks<V> = {
      commit: (newVersion, map, changes) => this.#commit(newVersion, map, changes),
      abort: (map) => {
        // Values in the map may have been mutated through get(): reload from files next time.
        if (this.#latest?.map === map) this.#latest = null;
      },
    };
    return new OverlayStateStore<V>(version, base, hooks, `state store ${this.dir}`);
  }

  async #commit(newVersion: number, map: Map<StateKey, V>, changes: StateChanges<V>): Promise<void> {
    this.#checkOpen();
    let bytes: Buffer;
    try {
      bytes = encodeDelta(changes);
    } catch (error) {
      throw new StateError(`cannot serialise state version ${newVersion} in ${this.dir}: ${String(error)}`, { cause: error });
    }
    try {
      await writeFileAtomic(this.deltaFile(newVersion), bytes);
    } catch (error) {
      throw new StateError(`cannot write state version ${newVersion} to ${this.deltaFile(newVersion)}`, { cause: error });
    }
    applyChanges(map, changes);
    this.#latest = { version: newVersion, map, leased: false };
    if (newVersion % this.minDeltasForSnapshot === 0) this.#writeSnapshot(newVersion, map);
  }

  /** Encodes now (the map changes with the next version), writes in the background. */
  #writeSnapshot(version: number, map: Map<StateKey, V>): void {
    const file = this.snapshotFile(version);
    let bytes: Buffer;
    try {
      bytes = encodeSnapshot(map);
    } catch (error) {
      log.warn(`cannot serialise snapshot ${file}: ${String(error)}`);
      return;
    }
    const pending: Promise<void> = writeFileAtomic(file, bytes)
      .catch((error: unknown) => log.warn(`cannot write snapshot ${file} (the deltas still hold the state): ${String(error)}`))
      .finally(() => this.#pendingSnapshots.delete(pending));
    this.#pendingSnapshots.add(pending);
  }

  async #loadFromFiles(version: number): Promise<Map<StateKey, V>> {
    if (version === 0) return new Map();
    const files = await this.#listFiles();
    const snapshots = new Set(files.filter((f) => f.kind === "snapshot").map((f) => f.version));
    const deltas = new Set(files.filter((f) => f.kind === "delta").map((f) => f.version));
    let snapshot = 0;
    for (const v of snapshots) if (v <= version && v > snapshot) snapshot = v;

    let map: Map<StateKey, V>;
    let from: number;
    let fromSnapshot = false;
    const cached = this.#latest;
    if (cached !== null && !cached.leased && cached.version <= version && cached.version >= snapshot) {
      // Roll the cached map forward; drop it from the cache first, as it is changed in place.
      this.#latest = null;
      map = cached.map;
      from = cached.version;
    } else {
      map = new Map();
      from = snapshot;
      fromSnapshot = snapshot > 0;
    }
    const missing: string[] = [];
    for (let v = from + 1; v <= version; v++) if (!deltas.has(v)) missing.push(`${v}.delta`);
    if (missing.length > 0) {
      throw new StateError(
        `cannot load state version ${version} from ${this.dir}: ` +
          (from === 0 ? "no snapshot at or below it and " : `after ${from}.snapshot `) +
          `missing ${missing.length > 5 ? `${missing.slice(0, 5).join(", ")} … (${missing.length} files)` : missing.join(", ")}. ` +
          `The checkpoint was purged past this version or is damaged`,
      );
    }
    if (fromSnapshot) await this.#applyFile(snapshot, "snapshot", map);
    for (let v = from + 1; v <= version; v++) await this.#applyFile(v, "delta", map);
    return map;
  }

  async #applyFile(version: number, kind: StateFileKind, map: Map<StateKey, V>): Promise<void> {
    const file = kind === "delta" ? this.deltaFile(version) : this.snapshotFile(version);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      throw new StateError(`cannot read state version ${version} from ${this.dir}: ${file}: ${String(error)}`, { cause: error });
    }
    applyStateFile(bytes, kind, file, map);
  }

  async #listFiles(): Promise<Array<{ name: string; version: number; kind: StateFileKind }>> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === "ENOENT") return [];
      throw new StateError(`cannot list state directory ${this.dir}`, { cause: error });
    }
    const files: Array<{ name: string; version: number; kind: StateFileKind }> = [];
    for (const name of names) {
      const match = /^(\d+)\.(delta|snapshot)$/.exec(name);
      if (match !== null) files.push({ name, version: Number(match[1]), kind: match[2] as StateFileKind });
    }
    return files;
  }

  async #awaitSnapshots(): Promise<void> {
    while (this.#pendingSnapshots.size > 0) await Promise.all([...this.#pendingSnapshots]);
  }

  #checkOpen(): void {
    if (this.#closed) throw new InternalError(`state store provider for ${this.dir} is closed`);
  }
}
