/**
 * Callers of processAllAvailable(): each waits for the trigger loop to find nothing new
 * after the moment it asked, i.e. for an idle round that started after it registered.
 */
export class IdleWaiters {
  /** Rounds of the trigger loop begun so far. */
  #rounds = 0;
  #waiting: { after: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  /** Resolves after the next idle round that began after this call (rejects if the query fails first). */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => this.#waiting.push({ after: this.#rounds, resolve, reject }));
  }

  /** The loop begins a round (looks for new data): returns its number, for `idle`. */
  beginRound(): number {
    return ++this.#rounds;
  }

  /**
   * Round `round` found no new data: everyone who asked before it began is done. A round
   * that began before a caller asked may have looked before the caller's data arrived, so
   * it does not answer that caller.
   */
  idle(round: number): void {
    const ready = this.#waiting.filter((w) => w.after < round);
    this.#waiting = this.#waiting.filter((w) => w.after >= round);
    for (const w of ready) w.resolve();
  }

  /** The query ended: waiters resolve, or reject with its failure. */
  end(failure: unknown): void {
    for (const w of this.#waiting) (failure ? w.reject(failure) : w.resolve());
    this.#waiting = [];
  }
}
