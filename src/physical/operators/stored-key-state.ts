import { isWellFormed } from "../../common/well-formed-text.ts";
import { NO_TIMESTAMP } from "./group-state-impl.ts";

/**
 * One key's entry in flatMapGroupsWithState's state store, as stored. The operator needs the
 * key value back only to call the function for a key whose timeout passed; a string or number
 * key is its store key (encodeGroupKey: "s" or "n" and the key) read back, so its entry leaves
 * the key out and is an array:
 *
 *     [state, timeoutMs]   a state (and its timeout, NO_TIMESTAMP when none)
 *     [timeoutMs]          no state (removed) but a timeout still set
 *
 * Any other key (objects, dates, booleans, -0) keeps the first form, a plain object
 * `{key, state?, timeoutMs}`, which is also what checkpoints written before hold: both are read.
 * The array form is a quarter smaller on disk and cheaper to encode and decode (no field names,
 * no second copy of the key).
 */
export type StoredKeyState = readonly [unknown, number] | readonly [number] | KeyStateObject;

/** The first form: the key beside its state and timeout. */
export interface KeyStateObject {
  readonly key: unknown;
  /** Absent when the state was removed but a timeout is still set. */
  readonly state?: unknown;
  readonly timeoutMs: number;
}

/**
 * Whether the key comes back from its store key alone (then the array form is stored): not
 * -0 (its store key reads back as 0), nor a string with a lone surrogate (a store that keeps
 * keys as UTF-8 would give it back with U+FFFD in its place).
 */
function keyFromStoreKey(key: unknown): boolean {
  return (typeof key === "string" && isWellFormed(key)) || (typeof key === "number" && !Object.is(key, -0));
}

/** The entry to store for `key` (its `state`, undefined when removed, and its timeout). */
export function storedKeyState(key: unknown, state: unknown, timeoutMs: number): StoredKeyState {
  if (keyFromStoreKey(key)) return state === undefined ? [timeoutMs] : [state, timeoutMs];
  return state === undefined ? { key, timeoutMs } : { key, state, timeoutMs };
}

/** The state in a stored entry (undefined: removed, a timeout still set). */
export function stateOf(stored: StoredKeyState): unknown {
  if (!Array.isArray(stored)) return (stored as KeyStateObject).state;
  return stored.length === 2 ? stored[0] : undefined;
}

/** The timeout in a stored entry (NO_TIMESTAMP: none). */
export function timeoutOf(stored: StoredKeyState | undefined): number {
  if (stored === undefined) return NO_TIMESTAMP;
  if (!Array.isArray(stored)) return (stored as KeyStateObject).timeoutMs;
  return stored[stored.length - 1] as number;
}

/** The key value of an entry stored under `storeKey` (encodeGroupKey's). */
export function keyOf(storeKey: string, stored: StoredKeyState): unknown {
  if (!Array.isArray(stored)) return (stored as KeyStateObject).key;
  return storeKey.charCodeAt(0) === 0x6e ? Number(storeKey.slice(1)) : storeKey.slice(1);
}
