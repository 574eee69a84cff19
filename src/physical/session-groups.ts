import type { GroupsAccumulator } from "../expr/aggregates/index.ts";
import { EventTimeIndex } from "./group-table/event-time-index.ts";
import type { KeySession } from "./session-merging.ts";

/** What the state store keeps per key: its key values and its sessions with their aggregation buffers. */
export type KeyState = [keyValues: unknown[], sessions: [start: number, end: number, buffers: unknown[]][]];

export interface KeyGroup {
  readonly keyValues: unknown[];
  sessions: KeySession[];
}

/**
 * The session-window aggregation's keys at hand, each with its sessions, whose aggregation
 * buffers live in accumulator slots. Held in memory for the whole query when the state
 * provider keeps its state in memory; only for one batch's keys when it keeps it on disk.
 *
 * `closing` indexes every session slot by its end, so that the watermark finds the sessions
 * it closes without visiting the others. A session whose end moves is indexed again; its
 * older entry then names it too early, and the key it leads to just has nothing to close.
 */
export class SessionGroups {
  readonly byKey = new Map<string, KeyGroup>();
  readonly closing = new EventTimeIndex();
  /** The key whose session a slot holds (kept after release: a stale index entry finds some key, harmlessly). */
  #slotKey: string[] = [];
  #free: number[] = [];
  #numSlots = 0;
  /** Sessions in `byKey`. */
  numSessions = 0;

  constructor(readonly accumulators: readonly GroupsAccumulator[]) {}

  /** A slot for a new session of `key`. */
  allocate(key: string): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#numSlots++;
      for (const a of this.accumulators) a.resize(this.#numSlots);
    }
    this.#slotKey[slot] = key;
    this.numSessions++;
    return slot;
  }

  release(slot: number): void {
    for (const a of this.accumulators) a.reset(slot);
    this.#free.push(slot);
    this.numSessions--;
  }

  /** A session of `key` was created or its end moved. */
  indexSession(session: KeySession): void {
    this.closing.add(session.slot, session.end);
  }

  /** The keys with a session indexed to close at or before `watermark` (each once, in time order). */
  keysClosingBy(watermark: number): string[] {
    const keys = new Set<string>();
    for (const slot of this.closing.takeUpTo(watermark)) keys.add(this.#slotKey[slot]!);
    return [...keys];
  }

  /** A key's stored state as a group whose sessions hold their buffers in fresh slots. */
  adopt(key: string, [keyValues, sessions]: KeyState): KeyGroup {
    const group: KeyGroup = { keyValues, sessions: [] };
    for (const [start, end, buffers] of sessions) {
      const slot = this.allocate(key);
      buffers.forEach((b, k) => this.accumulators[k]!.setState(slot, b));
      group.sessions.push({ start, end, slot });
    }
    this.byKey.set(key, group);
    return group;
  }

  stateOf(group: KeyGroup): KeyState {
    return [group.keyValues, group.sessions.map((s) => [s.start, s.end, this.accumulators.map((a) => a.getState(s.slot))])];
  }

  /** Forgets every key and session (every slot is reset: a closed session's too, whose key no longer lists it). */
  clear(): void {
    for (let slot = 0; slot < this.#numSlots; slot++) for (const a of this.accumulators) a.reset(slot);
    this.byKey.clear();
    this.closing.clear();
    this.#slotKey = [];
    this.#free = [];
    this.#numSlots = 0;
    this.numSessions = 0;
  }
}
