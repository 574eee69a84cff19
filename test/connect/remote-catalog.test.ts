import { tableFromArrays, tableToIPC, type Table } from "apache-arrow";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import { Catalog, Session, type RemoteCatalog, type RemoteSession } from "../../src/index.ts";

import { FakeSparkConnectServer } from "./fake-spark-connect-server.ts";

const servers: FakeSparkConnectServer[] = [];
const sessions: RemoteSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

const base = { sessionId: "s", serverSideSessionId: "srv-1", operationId: "op" };
const batch = (columns: Record<string, unknown[]>) => ({
  ...base, responseId: "r1",
  responseType: { case: "arrowBatch" as const, value: { rowCount: BigInt(Object.values(columns)[0]!.length), data: tableToIPC(tableFromArrays(columns as never) as unknown as Table, "stream") } },
});
const complete = { ...base, responseId: "r2", responseType: { case: "resultComplete" as const, value: {} } };

/** Answers each Catalog relation as Spark does: Table / Database rows, one boolean, or nothing. */
function catalogAnswer(catType: { case: string; value: any }) {
  switch (catType.case) {
    case "listTables": return [batch({ name: ["events", "clicks"], catalog: ["spark_catalog", "spark_catalog"], tableType: ["MANAGED", "TEMPORARY"], isTemporary: [false, true] })];
    case "listDatabases": return [batch({ name: ["default", "logs"], catalog: ["spark_catalog", "spark_catalog"] })];
    case "currentDatabase": return [batch({ value: ["logs"] })];
    case "tableExists": return [batch({ value: [catType.value.tableName === "events"] })];
    case "dropTempView": return [batch({ value: [true] })];
    default: return [];
  }
}

describe("spark.catalog on a remote session: Spark Connect's Catalog relations", () => {
  test("listTables, listDatabases, currentDatabase, tableExists, dropTempView, setCurrentDatabase, cacheTable", async () => {
    const server = await new FakeSparkConnectServer({
      async *executePlan(request) {
        const relation = request.plan!.opType.value as any;
        yield* catalogAnswer(relation.relType.value.catType);
        yield complete;
      },
    }).start();
    servers.push(server);
    const spark = Session.builder().remote(server.url).getOrCreate();
    sessions.push(spark);
    expectTypeOf(spark.catalog).toEqualTypeOf<RemoteCatalog>();
    expectTypeOf(Session.builder().getOrCreate().catalog).toEqualTypeOf<Catalog>();

    expect(await spark.catalog.listTables("logs")).toEqual([
      { name: "events", catalog: "spark_catalog", namespace: [], description: null, tableType: "MANAGED", isTemporary: false, database: null },
      { name: "clicks", catalog: "spark_catalog", namespace: [], description: null, tableType: "TEMPORARY", isTemporary: true, database: null },
    ]);
    expect((await spark.catalog.listDatabases()).map((d) => [d.name, d.catalog])).toEqual([["default", "spark_catalog"], ["logs", "spark_catalog"]]);
    expect(await spark.catalog.currentDatabase()).toBe("logs");
    expect(await spark.catalog.tableExists("events")).toBe(true);
    expect(await spark.catalog.tableExists("nope", "logs")).toBe(false);
    expect(await spark.catalog.dropTempView("clicks")).toBe(true);
    await spark.catalog.setCurrentDatabase("default");
    await spark.catalog.cacheTable("events");

    const sent = server.requests("executePlan").map((r) => {
      const { catType } = r.plan.opType.value.relType.value;
      const { $typeName: _, ...fields } = catType.value;
      return { [catType.case]: fields };
    });
    expect(sent).toEqual([
      { listTables: { dbName: "logs" } }, { listDatabases: {} }, { currentDatabase: {} },
      { tableExists: { tableName: "events" } }, { tableExists: { tableName: "nope", dbName: "logs" } },
      { dropTempView: { viewName: "clicks" } }, { setCurrentDatabase: { dbName: "default" } }, { cacheTable: { tableName: "events" } },
    ]);
  });
});
