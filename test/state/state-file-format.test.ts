import { describe, expect, it } from "vitest";
import { StateError } from "../../src/common/errors.ts";
import { REMOVED } from "../../src/state/overlay-state-store.ts";
import { applyStateFile, encodeDelta, encodeSnapshot } from "../../src/state/state-file-format.ts";
import type { StateKey } from "../../src/state/state-store.ts";

describe("state file format", () => {
  it("round-trips a delta with puts and removes across chunks", () => {
    const changes = new Map<StateKey, number | typeof REMOVED>();
    for (let i = 0; i < 10_000; i++) changes.set(i, i % 3 === 0 ? REMOVED : i * 2);
    const bytes = encodeDelta(changes);
    const into = new Map<StateKey, number>([[0, 5], [3, 7], [20_000, 1]]);
    applyStateFile(bytes, "delta", "f", into);
    expect(into.has(0)).toBe(false);
    expect(into.has(3)).toBe(false);
    expect(into.get(20_000)).toBe(1);
    expect(into.get(1)).toBe(2);
    expect(into.size).toBe(1 + 10_000 - Math.ceil(10_000 / 3));
  });

  it("round-trips a snapshot", () => {
    const map = new Map<StateKey, unknown>([["a", new Set([1])], [1, 2n]]);
    const into = new Map<StateKey, unknown>();
    applyStateFile(encodeSnapshot(map), "snapshot", "f", into);
    expect(into).toEqual(map);
  });

  it("detects truncation, the wrong kind and garbage", () => {
    const bytes = encodeSnapshot(new Map([["a", 1]]));
    expect(() => applyStateFile(bytes.subarray(0, bytes.length - 1), "snapshot", "/x/1.snapshot", new Map())).toThrow(
      "state file /x/1.snapshot is corrupt: it ends without the end marker (truncated)",
    );
    expect(() => applyStateFile(bytes, "delta", "/x/1.delta", new Map())).toThrow("is not a delta file");
    expect(() => applyStateFile(Buffer.from("hello world"), "delta", "/x/1.delta", new Map())).toThrow(StateError);
  });
});
