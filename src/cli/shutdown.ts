/**
 * SIGINT/SIGTERM for a running job: the first signal asks for a clean stop (queries finish
 * or abandon their batch, sinks close, the checkpoint stays consistent); a second one
 * forces the exit — still safe, as a restart re-runs the batch that has no commit.
 */
export class Shutdown {
  #signal: NodeJS.Signals | null = null;
  #resolve!: (signal: NodeJS.Signals) => void;
  readonly #handler = (signal: NodeJS.Signals): void => this.#onSignal(signal);
  /** Resolves with the first signal received. */
  readonly requested: Promise<NodeJS.Signals>;

  constructor(readonly onForce: (signal: NodeJS.Signals) => void) {
    this.requested = new Promise((resolve) => { this.#resolve = resolve; });
  }

  get signal(): NodeJS.Signals | null {
    return this.#signal;
  }

  install(): this {
    process.on("SIGINT", this.#handler);
    process.on("SIGTERM", this.#handler);
    return this;
  }

  uninstall(): void {
    process.off("SIGINT", this.#handler);
    process.off("SIGTERM", this.#handler);
  }

  /** Asks for a stop as a signal would (tests, a --duration timer). */
  request(signal: NodeJS.Signals = "SIGTERM"): void {
    this.#onSignal(signal);
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (this.#signal !== null) {
      this.onForce(signal);
      return;
    }
    this.#signal = signal;
    this.#resolve(signal);
  }
}
