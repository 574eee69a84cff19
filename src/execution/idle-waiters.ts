/**
 * Callers of processAllAvailable(): each waits for the trigger loop to find nothing new
 * after the moment it asked, i.e. for an idle round that started after it registered.
 */
export class IdleWaiters {
  #generation = 0;
  #waiting: { after: number; resolve: () => void; reject: (e: unknown) => void }[] = [];

  /** Resolves after the next idle round (rejects if the query fails first). */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => this.#waiting.push({ after: this.#generation, resolve, reject }));
  }

  /** The loop found no new data: everyone who asked before this round is done. */
  idle(): void {
    this.#generation++;
    const ready = this.#waiting.filter((w) => w.after < this.#generation);
    this.#waiting = this.#waiting.filter((w) => w.after >= this.#generation);
    for (const w of ready) w.resolve();
  }

  /** The query ended: waiters resolve, or reject with its failure. */
  end(failure: unknown): void {
    for (const w of this.#waiting) (failure ? w.reject(failure) : w.resolve());
    this.#waiting = [];
  }
}
