import type { RunEngine } from "../../src/state/disk/run-engine.ts";
import { hashKey, keyHash, RecordWriter } from "../../src/state/disk/state-record.ts";
import type { StateKey } from "../../src/state/state-store.ts";
import { encodeValue } from "../../src/state/value-codec.ts";

/** Adds a committed record (null: a removal) to a disk state engine, as a replayed changelog would. */
export function putRecord(engine: RunEngine, key: StateKey, value: unknown): void {
  hashKey(key);
  const w = new RecordWriter(64);
  w.addKey(keyHash.h1, keyHash.h2, key, value === null ? null : encodeValue(value));
  const bytes = Buffer.from(w.bytes());
  engine.setRecord(bytes, 0, bytes.length);
}
