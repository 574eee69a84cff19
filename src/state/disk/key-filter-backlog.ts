import { RunCursor, type RunFile } from "./run-file.ts";
import type { RunsKeyFilter } from "./runs-key-filter.ts";

/**
 * The runs whose keys the engine's RunsKeyFilter does not hold yet (runs opened from a
 * checkpoint at a restart), read in steps that the commits pace, as merges are: a restart
 * does not read the whole state before its first batch, and until the backlog is empty the
 * filter is not asked (lookups go to the runs' own filters, as without it).
 */
export class KeyFilterBacklog {
  #runs: RunFile[] = [];
  #cursor: RunCursor | null = null;

  get empty(): boolean {
    return this.#runs.length === 0;
  }

  add(run: RunFile): void {
    this.#runs.push(run);
  }

  /**
   * A merge replaced `inputs` by `merged`: if any input is still to be read, it is dropped
   * (its file closes) and the merged runs, which hold its keys, are read instead, whole.
   */
  replaced(inputs: readonly RunFile[], merged: readonly RunFile[]): void {
    const left = this.#runs.filter((r) => !inputs.includes(r));
    if (left.length === this.#runs.length) return;
    if (this.#cursor !== null && inputs.includes(this.#cursor.run)) this.#cursor = null;
    this.#runs = [...left, ...merged];
  }

  /** Adds about `budgetBytes` of runs' records to `filter`; true when the backlog is empty. */
  step(filter: RunsKeyFilter, budgetBytes: number): boolean {
    let left = budgetBytes;
    while (this.#runs.length > 0) {
      if (this.#cursor === null) filter.reserve(this.#runs[0]!.numEntries);
      const cursor = this.#cursor ??= new RunCursor(this.#runs[0]!);
      while (!cursor.done) {
        if (left <= 0) return false;
        const view = cursor.view;
        filter.add(view.h1, view.h2);
        left -= view.end - cursor.start;
        cursor.next();
      }
      this.#runs.shift();
      this.#cursor = null;
    }
    return true;
  }

  clear(): void {
    this.#runs = [];
    this.#cursor = null;
  }
}
