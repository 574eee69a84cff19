import { InternalError } from "../common/errors.ts";

/**
 * The time schedulers run on (Spark's `org.apache.spark.util.Clock`). A scheduler never
 * reads `Date.now()` or sets its own timers: it registers with a Clock as a participant
 * and waits on it, so that a test can swap in a ManualClock and decide exactly when each
 * batch becomes due. Structured queries (MicroBatchExecution) and DStream contexts
 * (the DStream job scheduler) both run on this.
 */
export interface Clock {
  /** Milliseconds since the epoch (or since a manual clock's start). */
  now(): number;
  /** A scheduler that waits on this clock; it unregisters when it stops. */
  register(): ClockParticipant;
}

/** One scheduler's handle on a clock. */
export interface ClockParticipant {
  /**
   * Resolves once the clock is at or past `targetMs`; early when `signal` aborts (a
   * stopping or woken scheduler is never left waiting).
   */
  waitTillTime(targetMs: number, signal?: AbortSignal): Promise<void>;
  /** The same as `waitTillTime` (an earlier name, kept for callers that use it). */
  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void>;
  /** The scheduler stopped: a manual clock no longer waits for it. */
  unregister(): void;
}

/** Wall-clock time. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  register(): ClockParticipant {
    return {
      waitTillTime: (targetMs, signal) => sleepUntil(targetMs, signal),
      waitUntil: (targetMs, signal) => sleepUntil(targetMs, signal),
      unregister: () => undefined,
    };
  }
}

function sleepUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const check = (): void => {
      const now = Date.now();
      // Timers may fire a little early: check again rather than trust them.
      if (now >= targetMs || signal?.aborted) done();
      else timer = setTimeout(check, Math.min(targetMs - now, 0x7fffffff));
    };
    signal?.addEventListener("abort", done, { once: true });
    check();
  });
}

/**
 * A clock that moves only when told (Spark's ManualClock). `advance(ms)` moves the time,
 * wakes every participant whose target has come, and resolves once every registered
 * participant is waiting again for a time still ahead (or has unregistered): that is,
 * once every batch that became due has run. A participant counts as busy from the moment
 * it registers until it first waits, so `await clock.advance(0)` also waits for a
 * scheduler that is still starting.
 */
export class ManualClock implements Clock {
  #time: number;
  readonly #participants = new Set<ManualParticipant>();
  #idleWaiters: (() => void)[] = [];

  constructor(startMs = 0) {
    checkTime(startMs);
    this.#time = startMs;
  }

  now(): number {
    return this.#time;
  }

  register(): ClockParticipant {
    const participant = new ManualParticipant(this);
    this.#participants.add(participant);
    return participant;
  }

  /** Moves the clock forward by `ms` (≥ 0); resolves when the batches that became due have run. */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new InternalError(`a manual clock advances by a non-negative number of ms, not ${ms}`);
    return this.setTime(this.#time + ms);
  }

  /**
   * Sets the time (a recovering scheduler moves its clock to its checkpoint's time) and
   * wakes the participants whose target has come. A participant calling this from its own
   * run loop must not await the result: it would wait for itself.
   */
  setTime(ms: number): Promise<void> {
    checkTime(ms);
    this.#time = ms;
    for (const p of this.#participants) p.wakeIfDue(ms);
    return this.#settle();
  }

  /**
   * Resolves once every participant waits for a time ahead, and stays so across two
   * turns of the event loop: a scheduler still starting (it registers after asynchronous
   * set-up) gets the chance to register and run its first batch.
   */
  async #settle(): Promise<void> {
    for (;;) {
      await nextTurn();
      if (!this.#isIdle()) {
        await this.#whenIdle();
        continue;
      }
      await nextTurn();
      if (this.#isIdle()) return;
    }
  }

  /** Resolves once no registered participant is busy. */
  #whenIdle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #isIdle(): boolean {
    for (const p of this.#participants) if (!p.isWaitingAhead(this.#time)) return false;
    return true;
  }

  /** @internal A participant started waiting or unregistered. */
  stateChanged(): void {
    if (this.#idleWaiters.length === 0 || !this.#isIdle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** @internal */
  remove(participant: ManualParticipant): void {
    this.#participants.delete(participant);
    this.stateChanged();
  }
}

class ManualParticipant implements ClockParticipant {
  /** The time it waits for; null while it is busy (running a batch, starting). */
  #target: number | null = null;
  #resolve: (() => void) | null = null;

  constructor(readonly clock: ManualClock) {}

  isWaitingAhead(now: number): boolean {
    return this.#target !== null && this.#target > now;
  }

  wakeIfDue(now: number): void {
    if (this.#target !== null && this.#target <= now) this.#wake();
  }

  waitUntil(targetMs: number, signal?: AbortSignal): Promise<void> {
    return this.waitTillTime(targetMs, signal);
  }

  waitTillTime(targetMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#resolve !== null) throw new InternalError("a clock participant is already waiting");
    if (targetMs <= this.clock.now() || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = (): void => this.#wake();
      this.#target = targetMs;
      this.#resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.clock.stateChanged();
    });
  }

  unregister(): void {
    this.#wake();
    this.clock.remove(this);
  }

  /** Busy from now on: the scheduler runs until it waits again. */
  #wake(): void {
    const resolve = this.#resolve;
    this.#target = null;
    this.#resolve = null;
    resolve?.();
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function checkTime(ms: number): void {
  if (!Number.isFinite(ms)) throw new InternalError(`clock time must be a finite number of ms, not ${ms}`);
}
