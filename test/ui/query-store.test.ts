import { describe, expect, test } from "vitest";
import { QueryStore, type UiEvent } from "../../src/ui/query-store.ts";

describe("QueryStore", () => {
  test("a failed query keeps its last error (secrets masked) and stays listed", () => {
    const store = new QueryStore(() => null);
    const events: UiEvent[] = [];
    store.subscribe((e) => events.push(e));
    store.onQueryStarted({ id: "q", runId: "r1", name: "counts", timestamp: "2026-01-01T00:00:00.000Z" });
    store.onQueryTerminated({ id: "q", runId: "r1", exception: "cannot connect to jdbc:mysql://etl:s3cr3t@db/app", errorClassOnException: "ConnectorError" });
    const [q] = store.list();
    expect(q).toMatchObject({ name: "counts", state: "failed", lastError: "cannot connect to jdbc:mysql://etl:***@db/app" });
    expect(events.map((e) => e.type)).toEqual(["started", "terminated"]);
  });

  test("a query that failed before it started is listed too", () => {
    const store = new QueryStore(() => null);
    store.onQueryTerminated({ id: "q", runId: "r2", exception: "bad checkpoint", errorClassOnException: null });
    expect(store.get("r2")).toMatchObject({ state: "failed", lastError: "bad checkpoint" });
    expect(store.get("q")?.runId).toBe("r2");
  });
});
