import { ConnectorError } from "../../common/errors.ts";
import type { FlumeEvent } from "../protocol/flume-protocols.ts";

/** Flume's ChannelException: a transaction could not put, take or commit. */
export class ChannelError extends ConnectorError {}

/** The channel has no room for a transaction's puts: the source must back off and retry. */
export class ChannelFullError extends ChannelError {}

/**
 * A channel transaction (Flume's `Transaction`): puts become visible and takes final only
 * at commit; a rollback returns taken events to the head of the channel in order. A
 * failed commit leaves the transaction to be rolled back.
 */
export interface ChannelTransaction {
  put(event: FlumeEvent): void;
  /** The next event, or null when the channel is empty. */
  take(): FlumeEvent | null;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface Channel {
  readonly name: string;
  /** Events committed and not taken. */
  readonly size: number;
  start(): Promise<void>;
  transaction(): ChannelTransaction;
  /** Resolves when a commit made events available, or after `timeoutMs`. */
  waitForEvents(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ChannelEntry {
  readonly id: number;
  readonly event: FlumeEvent;
}

/**
 * A bounded FIFO of events with Flume's transaction semantics (MemoryChannel): `capacity`
 * counts events in the channel and taken-but-uncommitted ones; at most
 * `transactionCapacity` puts or takes per transaction. Subclasses make commits durable.
 */
export abstract class QueueChannel implements Channel {
  #queue: ChannelEntry[] = [];
  #head = 0;
  /** Slots held: queued events, taken-but-uncommitted ones, and puts being committed. */
  #occupied = 0;
  #nextId = 1;
  #waiters: (() => void)[] = [];

  constructor(readonly name: string, readonly capacity: number, readonly transactionCapacity: number) {}

  get size(): number {
    return this.#queue.length - this.#head;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Makes a transaction's effect durable before it becomes visible (no-op in memory). */
  protected abstract persist(puts: readonly ChannelEntry[], takes: readonly ChannelEntry[]): Promise<void>;

  /** Restores entries at start (a durable channel's replay). */
  protected restore(entries: readonly ChannelEntry[]): void {
    for (const e of entries) {
      this.#queue.push(e);
      this.#nextId = Math.max(this.#nextId, e.id + 1);
    }
    this.#occupied += entries.length;
  }

  /** Entries that a durable snapshot must keep: queued ones and taken-but-uncommitted ones. */
  protected liveEntries(inFlight: Iterable<ChannelEntry>): ChannelEntry[] {
    return [...inFlight, ...this.#queue.slice(this.#head)].sort((a, b) => a.id - b.id);
  }

  readonly #inFlight = new Map<number, ChannelEntry>();

  protected get inFlight(): Iterable<ChannelEntry> {
    return this.#inFlight.values();
  }

  transaction(): ChannelTransaction {
    const puts: FlumeEvent[] = [];
    const takes: ChannelEntry[] = [];
    let state: "open" | "committing" | "done" = "open";
    const check = (what: string): void => {
      if (state !== "open") throw new ChannelError(`channel ${this.name}: cannot ${what} in a transaction that is ${state === "done" ? "closed" : "committing"}`);
    };
    return {
      put: (event) => {
        check("put");
        if (puts.length >= this.transactionCapacity) {
          throw new ChannelError(`channel ${this.name}: put queue of the transaction (transactionCapacity ${this.transactionCapacity}) is full; commit more often or raise transactionCapacity`);
        }
        puts.push(event);
      },
      take: () => {
        check("take");
        if (takes.length >= this.transactionCapacity) {
          throw new ChannelError(`channel ${this.name}: take list of the transaction (transactionCapacity ${this.transactionCapacity}) is full; commit more often or raise transactionCapacity`);
        }
        if (this.#head >= this.#queue.length) return null;
        const entry = this.#queue[this.#head++]!;
        this.#compact();
        takes.push(entry);
        this.#inFlight.set(entry.id, entry);
        return entry.event;
      },
      commit: async () => {
        check("commit");
        if (puts.length > 0 && this.#occupied - takes.length + puts.length > this.capacity) {
          throw new ChannelFullError(
            `channel ${this.name} is full (capacity ${this.capacity}, ${this.size} queued): space for the commit of ${puts.length} events could not be acquired; sinks are likely not keeping up with sources`,
          );
        }
        state = "committing";
        const entries = puts.map((event) => ({ id: this.#nextId++, event }));
        this.#occupied += entries.length;
        try {
          await this.persist(entries, takes);
        } catch (error) {
          this.#occupied -= entries.length;
          state = "open";
          throw new ChannelError(`channel ${this.name}: commit failed: ${(error as Error).message}`, { cause: error });
        }
        for (const t of takes) this.#inFlight.delete(t.id);
        this.#occupied -= takes.length;
        for (const e of entries) this.#queue.push(e);
        state = "done";
        if (entries.length > 0) this.#notify();
      },
      rollback: async () => {
        if (state === "done") return;
        state = "done";
        if (takes.length === 0) return;
        for (const t of takes) this.#inFlight.delete(t.id);
        // Back to the head, in their order.
        this.#queue = [...takes, ...this.#queue.slice(this.#head)];
        this.#head = 0;
        this.#notify();
      },
    };
  }

  waitForEvents(timeoutMs: number): Promise<void> {
    if (this.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      function done(): void { clearTimeout(timer); resolve(); }
      this.#waiters.push(done);
    });
  }

  #notify(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #compact(): void {
    if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
