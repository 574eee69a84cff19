import { describe, expect, it } from "vitest";
import { describeHeldLock, formatLockHolder, judgeLock, parseLockHolder, type LockHolder, type LockObserver } from "../../src/checkpoint/lock-holder.ts";

const holder: LockHolder = { pid: 4242, host: "node-a", since: "2026-12-06T01:00:00.000Z", queryId: "q-1", runId: "r-1" };
const observer = (over: Partial<LockObserver> = {}): LockObserver => ({
  pid: 1000, host: "node-a", ownRunIds: new Set(), isAlive: () => true, ...over,
});

describe("lock holder", () => {
  it("round-trips through the lock file text, with a version line", () => {
    const text = formatLockHolder(holder);
    expect(text.split("\n")[0]).toBe("v1");
    expect(parseLockHolder(text)).toEqual(holder);
  });

  it("says what is wrong with a malformed lock file", () => {
    expect(() => parseLockHolder("")).toThrow("expected the version line 'v1'");
    expect(() => parseLockHolder("v1\n{")).toThrow("line 2 is not valid JSON");
    expect(() => parseLockHolder(`v1\n${JSON.stringify({ ...holder, pid: "x" })}`)).toThrow(`'pid' must be a positive integer, not "x"`);
    expect(() => parseLockHolder(`v1\n${JSON.stringify({ ...holder, host: 7 })}`)).toThrow("'host' must be a string, not 7");
  });

  it("a lock of a running process on this host is held", () => {
    expect(judgeLock(holder, observer())).toEqual({ kind: "held" });
  });

  it("a lock of a dead process on this host is stale", () => {
    const verdict = judgeLock(holder, observer({ isAlive: (pid) => pid !== 4242 }));
    expect(verdict).toEqual({ kind: "stale", reason: "process 4242 is no longer running" });
  });

  it("a lock taken on another host is never judged by pid", () => {
    let asked = false;
    expect(judgeLock(holder, observer({ host: "node-b", isAlive: () => { asked = true; return false; } }))).toEqual({ kind: "remote" });
    expect(asked).toBe(false);
  });

  it("a lock with this process's pid is held only by this process's runs (else a predecessor with the same pid left it)", () => {
    const self = observer({ pid: 4242 });
    expect(judgeLock(holder, { ...self, ownRunIds: new Set(["r-1"]) })).toEqual({ kind: "held" });
    expect(judgeLock(holder, self)).toEqual({ kind: "stale", reason: "was taken by an earlier process with this process's pid 4242" });
  });

  it("the message names the checkpoint, pid, host and time; for another host it says why it cannot check", () => {
    const local = describeHeldLock("/ck", "/ck/lock", holder, { kind: "held" }, "node-a");
    expect(local).toMatch(/^\[CONCURRENT_QUERY\] the checkpoint \/ck is in use by process 4242 on node-a since 2026-12-06T01:00:00.000Z /);
    expect(local).toContain("query id q-1, run id r-1");
    const remote = describeHeldLock("/ck", "/ck/lock", holder, { kind: "remote" }, "node-b");
    expect(remote).toContain("node-b cannot check whether that process still runs");
    expect(remote).toContain("delete /ck/lock");
  });
});
