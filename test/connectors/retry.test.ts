import { describe, expect, test } from "vitest";
import { RetriesExhausted, withRetries, type RetryEvent, type RetryPolicy } from "../../src/connectors/retry.ts";

const transient = (e: unknown) => (e as Error).message.startsWith("ECONNREFUSED");

describe("withRetries: a time budget, not a count", () => {
  test("retries a transient error until it goes away, reporting each retry", async () => {
    const events: RetryEvent[] = [];
    let tries = 0;
    const policy: RetryPolicy = { maxDurationMs: 10_000, backoffMs: 10, maxBackoffMs: 20 };
    const result = await withRetries(policy, transient, async () => {
      if (++tries < 4) throw new Error("ECONNREFUSED 127.0.0.1:3306");
      return "written";
    }, (e) => { events.push(e); });
    expect(result).toBe("written");
    expect(events.map((e) => e.retry)).toEqual([1, 2, 3]);
    // 10 ms doubling, capped at 20 ms, plus up to 20% jitter.
    expect(events.map((e) => e.delayMs >= [10, 20, 20][e.retry - 1]! && e.delayMs <= [12, 24, 24][e.retry - 1]!)).toEqual([true, true, true]);
  });

  test("gives up once the budget is spent, the last wait cut to what is left", async () => {
    const events: RetryEvent[] = [];
    const started = Date.now();
    const error = await withRetries({ maxDurationMs: 300, backoffMs: 50, maxBackoffMs: 1000 }, transient, async () => {
      throw new Error("ECONNREFUSED 127.0.0.1:3306");
    }, (e) => { events.push(e); }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RetriesExhausted);
    const exhausted = error as RetriesExhausted;
    expect(exhausted.message).toBe("ECONNREFUSED 127.0.0.1:3306");
    expect(exhausted.budgetSpent).toBe(true);
    expect(exhausted.attempts).toBe(events.length + 1);
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(1000);
    // 50, 100 then what is left of 300 (not 200 + jitter).
    const last = events.at(-1)!;
    expect(last.elapsedMs + last.delayMs).toBeLessThanOrEqual(300);
  });

  test("0 gives up at once; a non-transient error is thrown as it is", async () => {
    const zero = await withRetries({ maxDurationMs: 0, backoffMs: 50, maxBackoffMs: 1000 }, transient, async () => {
      throw new Error("ECONNREFUSED");
    }).catch((e: unknown) => e);
    expect(zero).toBeInstanceOf(RetriesExhausted);
    expect((zero as RetriesExhausted).attempts).toBe(1);
    expect((zero as RetriesExhausted).budgetSpent).toBe(false);
    let tries = 0;
    const constraint = new Error("Duplicate entry 'x' for key 'PRIMARY'");
    await expect(withRetries({ maxDurationMs: Infinity, backoffMs: 10, maxBackoffMs: 10 }, transient, async () => { tries++; throw constraint; })).rejects.toBe(constraint);
    expect(tries).toBe(1);
  });
});
