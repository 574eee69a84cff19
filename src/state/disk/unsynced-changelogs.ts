import { StateError } from "../../common/errors.ts";

/**
 * The changelogs of versions committed in memory (StateStore.commitInMemory) whose write and
 * fsync are still in flight: `durable()` waits for all of them and reports a failure, once.
 */
export class UnsyncedChangelogs {
  #last: Promise<void> | null = null;
  #failure: StateError | null = null;

  /**
   * Tracks version `version`'s changelog write (`written`: null once durable, else its error):
   * `onFailed` runs when it fails (the working copy holds a version the checkpoint lacks),
   * `onWritten` when it is durable.
   */
  add(version: number, file: string, written: Promise<{ error: unknown } | null>, onWritten: () => void, onFailed: () => void): void {
    const before = this.#last;
    const done: Promise<void> = written.then(async (failure) => {
      await before;
      if (failure === null) onWritten();
      else {
        this.#failure ??= changelogWriteError(version, file, failure.error);
        onFailed();
      }
      if (this.#last === done) this.#last = null;
    });
    this.#last = done;
  }

  /** Resolves once every changelog added is durable; rejects with the first that cannot be (reported once). */
  async durable(): Promise<void> {
    while (this.#last !== null) await this.#last;
    const failure = this.#failure;
    this.#failure = null;
    if (failure !== null) throw failure;
  }
}

export function changelogWriteError(version: number, file: string, error: unknown): StateError {
  return new StateError(`cannot write state version ${version} to ${file}: ${String(error)}`, { cause: error });
}
