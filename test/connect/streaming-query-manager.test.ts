import { afterEach, describe, expect, test } from "vitest";
import { StreamingQueryException } from "../../src/common/errors.ts";
import { RemoteStreamingQuery } from "../../src/connect/remote-streaming-query.ts";
import { RemoteStreamingQueryManager, type StreamingQueryManagerHandle } from "../../src/connect/remote-streaming-query-manager.ts";
import type { StreamingQueryManager } from "../../src/session/streaming-query-manager.ts";
import { streamFailed } from "./fake-streaming-handlers.ts";
import { clientFor, commandsSent, eventually, ServerPool } from "./streaming-test-kit.ts";

const pool = new ServerPool();
afterEach(() => pool.stopAll());

const START = { format: "console", queryName: "" };

async function managed(options: { awaitSliceMs?: number } = {}) {
  const { server, streams } = await pool.serve();
  const client = clientFor(server.url);
  return { server, streams, client, manager: new RemoteStreamingQueryManager(client, options) };
}

describe("spark.streams of a remote session", () => {
  test("the local and the remote manager share one handle type", () => {
    const handles: StreamingQueryManagerHandle[] = [null as unknown as StreamingQueryManager, null as unknown as RemoteStreamingQueryManager];
    expect(handles).toHaveLength(2);
  });

  test("active: StreamingQueryManagerCommand active, the server's queries with their ids and names", async () => {
    const { server, streams, client, manager } = await managed();
    expect(await manager.active).toEqual([]);
    streams.nextIds = { id: "aaaaaaaa-0000-4000-8000-000000000001", runId: "bbbbbbbb-0000-4000-8000-000000000001" };
    await RemoteStreamingQuery.start(client, { ...START, queryName: "counts" });
    await RemoteStreamingQuery.start(client, START);
    const active = await manager.active;
    expect(active.map((q) => q.name)).toEqual(["counts", null]);
    expect(active[0]).toBeInstanceOf(RemoteStreamingQuery);
    expect([active[0]!.id, active[0]!.runId]).toEqual(["aaaaaaaa-0000-4000-8000-000000000001", "bbbbbbbb-0000-4000-8000-000000000001"]);
    // The handles work: stopping one leaves the other active.
    await active[0]!.stop();
    expect((await manager.active).map((q) => q.name)).toEqual([null]);
    const sent = commandsSent(server).filter((c) => "streamingQueryManagerCommand" in c);
    expect(sent).toEqual([
      { streamingQueryManagerCommand: { active: true } },
      { streamingQueryManagerCommand: { active: true } },
      { streamingQueryManagerCommand: { active: true } },
    ]);
  });

  test("get(id): the active query with that id, or null", async () => {
    const { server, streams, client, manager } = await managed();
    streams.nextIds = { id: "aaaaaaaa-0000-4000-8000-000000000002", runId: "bbbbbbbb-0000-4000-8000-000000000002" };
    await RemoteStreamingQuery.start(client, { ...START, queryName: "counts" });
    const found = await manager.get("aaaaaaaa-0000-4000-8000-000000000002");
    expect([found?.id, found?.runId, found?.name]).toEqual(["aaaaaaaa-0000-4000-8000-000000000002", "bbbbbbbb-0000-4000-8000-000000000002", "counts"]);
    expect(await manager.get("cccccccc-0000-4000-8000-000000000000")).toBeNull();
    expect(commandsSent(server).slice(1)).toEqual([
      { streamingQueryManagerCommand: { getQuery: "aaaaaaaa-0000-4000-8000-000000000002" } },
      { streamingQueryManagerCommand: { getQuery: "cccccccc-0000-4000-8000-000000000000" } },
    ]);
  });

  test("awaitAnyTermination: false by the timeout, true once a query stops, the failure of a failed one; resetTerminated forgets", async () => {
    const { server, streams, client, manager } = await managed({ awaitSliceMs: 60 });
    const first = await RemoteStreamingQuery.start(client, START);
    expect(await manager.awaitAnyTermination(50)).toBe(false);
    const waiting = manager.awaitAnyTermination();
    await eventually(() => commandsSent(server).filter((c) => "streamingQueryManagerCommand" in c).length >= 3);
    streams.queries.get(first.id)!.terminate();
    expect(await waiting).toBe(true);
    expect(await manager.awaitAnyTermination(50)).toBe(true); // until resetTerminated()
    await manager.resetTerminated();
    expect(await manager.awaitAnyTermination(50)).toBe(false);

    const second = await RemoteStreamingQuery.start(client, START);
    streams.queries.get(second.id)!.terminate(streamFailed(second.id, second.runId, "[DIVIDE_BY_ZERO] Division by zero."));
    const error = await manager.awaitAnyTermination(1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamingQueryException);
    // The manager does not know which query failed: STREAM_FAILED's parameters say.
    expect([(error as StreamingQueryException).queryId, (error as StreamingQueryException).runId]).toEqual([second.id, second.runId]);

    const sent = commandsSent(server).filter((c) => "streamingQueryManagerCommand" in c);
    expect(sent[0]).toEqual({ streamingQueryManagerCommand: { awaitAnyTermination: { timeoutMs: "50" } } });
    expect(sent[1]).toEqual({ streamingQueryManagerCommand: { awaitAnyTermination: { timeoutMs: "60" } } });
    expect(sent).toContainEqual({ streamingQueryManagerCommand: { resetTerminated: true } });
    await expect(manager.awaitAnyTermination(0)).rejects.toThrow("[VALUE_NOT_POSITIVE]");
  });
});
