import { describe, expect, test } from "vitest";
import { ConnectorError } from "../../src/common/errors.ts";
import { Logger } from "../../src/common/log.ts";
import { RetriesExhausted, retrySinkWrite, withRetries, type RetryEvent, type RetryPolicy } from "../../src/connectors/retry.ts";
import type { SinkContext, SinkStatusListener, SinkWaiting } from "../../src/connectors/sink.ts";
import { waitFor } from "../wait-for.ts";

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

describe("retrySinkWrite: a bus sink's write as the query sees it", () => {
  const policy: RetryPolicy = { maxDurationMs: 5_000, backoffMs: 5, maxBackoffMs: 10 };
  const sinkWith = (stopping?: AbortSignal) => {
    const waits: SinkWaiting[] = [];
    const recovered: string[] = [];
    const status: SinkStatusListener = { waiting: (w) => { waits.push(w); }, recovered: (s) => { recovered.push(s); } };
    const context = { status, stopping } as Partial<SinkContext> as SinkContext;
    return { sink: { description: "TestSink[bus]", context }, waits, recovered };
  };

  test("each retry is a wait the query hears of, without the secret, then one recovery", async () => {
    const { sink, waits, recovered } = sinkWith();
    let tries = 0;
    const result = await retrySinkWrite(sink, new Logger("RetryTest"), "writing batch 3", policy, transient, (e) => (e as Error).message.replace("s3cr3t", "***"), async () => {
      if (++tries < 3) throw new Error("ECONNREFUSED redis://u:s3cr3t@127.0.0.1:1");
      return "done";
    });
    expect(result).toBe("done");
    expect(waits.map((w) => [w.sink, w.error, w.retry])).toEqual([
      ["TestSink[bus]", "writing batch 3 failed: ECONNREFUSED redis://u:***@127.0.0.1:1", 1],
      ["TestSink[bus]", "writing batch 3 failed: ECONNREFUSED redis://u:***@127.0.0.1:1", 2],
    ]);
    expect(recovered).toEqual(["TestSink[bus]"]);
  });

  test("a failure for good names the sink and what failed; a stop ends the wait with its AbortError", async () => {
    const { sink, recovered } = sinkWith();
    const error = await retrySinkWrite(sink, new Logger("RetryTest"), "publishing batch 4", policy, transient, (e) => (e as Error).message, async () => {
      throw new Error("no stream captures subject 'x'");
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toBe("TestSink[bus]: publishing batch 4 failed: no stream captures subject 'x'");
    expect(recovered).toEqual([]);

    const stop = new AbortController();
    const stopped = sinkWith(stop.signal);
    const waiting = retrySinkWrite(stopped.sink, new Logger("RetryTest"), "writing batch 5", { ...policy, backoffMs: 60_000, maxBackoffMs: 60_000 }, transient,
      (e) => (e as Error).message, async () => { throw new Error("ECONNREFUSED 127.0.0.1:1"); });
    await waitFor(() => stopped.waits.length, (n) => n === 1, "the first wait");
    stop.abort();
    const aborted = await waiting.catch((e: unknown) => e);
    expect((aborted as Error).name).toBe("AbortError");
  });
});
