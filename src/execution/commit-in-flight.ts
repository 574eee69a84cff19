/**
 * The commit of the batch just run — `commits/<id>` written and fsynced, then what follows it
 * (the sources' commit, the purge, the batch's progress) — left running while the next batch
 * is planned: the sources are asked for their next offsets (a file source lists its directory
 * and logs the new files) while the commit's fsyncs are in flight.
 *
 * The next batch's `offsets/<id+1>` is written only once this commit has settled
 * (`settled()`), so the logs on disk go through exactly the states of a sequential run:
 * never offsets N+1 without commits N. What may now be on disk at a crash that a sequential
 * run would not leave is a file source's log entry for N+1 before commits/N; the restart
 * re-runs batch N, and its next batch takes that entry (FileStreamSource.latestOffset), as
 * after a crash between the entry and offsets/N+1.
 */
export class CommitInFlight {
  #commit: Promise<void> | null = null;

  /** Starts `commit` (the one before must have settled). */
  start(commit: () => Promise<void>): void {
    const running = commit();
    running.catch(() => undefined); // met by settled()
    this.#commit = running;
  }

  /** Waits for the commit in flight, if any; rejects with its failure (once). */
  async settled(): Promise<void> {
    const commit = this.#commit;
    this.#commit = null;
    if (commit !== null) await commit;
  }
}
