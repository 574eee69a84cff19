import { afterAll, describe, expect, test } from "vitest";
import { Session, expr } from "../../src/index.ts";
import { FakeSparkConnectServer } from "../connect/fake-spark-connect-server.ts";

const spark = Session.builder().getOrCreate();
const view = `params_${process.pid}`;
spark.createDataFrame([{ a: 1, b: "x" }, { a: 2, b: "y" }, { a: 3, b: "x' OR '1'='1" }], "a INT, b STRING").createOrReplaceTempView(view);

describe("spark.sql(text, args): parameter markers (Spark 3.4+)", () => {
  test("named markers from an object or a Map, in WHERE, SELECT and function arguments", async () => {
    const rows = await spark.sql(`SELECT a, :label AS label FROM ${view} WHERE a >= :min AND b = :name ORDER BY a`, { min: 1, name: "x", label: "hit" }).collect();
    expect(rows).toEqual([{ a: 1, label: "hit" }]);
    const viaMap = await spark.sql(`SELECT count(*) AS n FROM ${view} WHERE a > :min`, new Map([["min", 1]])).collect();
    expect(viaMap).toEqual([{ n: 2 }]);
    const column = await spark.sql(`SELECT a FROM ${view} WHERE array_contains(:wanted, a) ORDER BY a`, { wanted: expr("array(2, 3)") }).collect();
    expect(column).toEqual([{ a: 2 }, { a: 3 }]);
  });

  test("positional markers bind in the order they are written, wherever the query puts them", async () => {
    const rows = await spark.sql(`SELECT a, ? AS tag, '?' AS text FROM ${view} WHERE a BETWEEN ? AND ? ORDER BY a LIMIT ?`, ["t", 2, 3, 1]).collect();
    expect(rows).toEqual([{ a: 2, tag: "t", text: "?" }]);
  });

  test("a value is a value: text that looks like SQL does not change the query", async () => {
    const rows = await spark.sql(`SELECT a FROM ${view} WHERE b = :b`, { b: "x' OR '1'='1" }).collect();
    expect(rows).toEqual([{ a: 3 }]);
    expect(await spark.sql(`SELECT a FROM ${view} WHERE b = :b`, { b: "' OR 1=1 --" }).collect()).toEqual([]);
  });

  test("struct field types with ':' still parse beside a marker", async () => {
    const rows = await spark.sql("SELECT CAST(named_struct('a', :v) AS STRUCT<a: INT>).a AS a", { v: 7 }).collect();
    expect(rows).toEqual([{ a: 7 }]);
  });

  test("unbound and mixed markers fail with Spark's error classes", () => {
    expect(() => spark.sql(`SELECT * FROM ${view} WHERE a > :min`)).toThrow("[UNBOUND_SQL_PARAMETER] Found the unbound parameter: min");
    expect(() => spark.sql(`SELECT * FROM ${view} WHERE a > :min`, { max: 1 })).toThrow("[UNBOUND_SQL_PARAMETER] Found the unbound parameter: min");
    expect(() => spark.sql("SELECT ?, ?", [1])).toThrow("[UNBOUND_SQL_PARAMETER]");
    expect(() => spark.sql("SELECT :a, ?", { a: 1 })).toThrow("[INVALID_QUERY_MIXED_QUERY_PARAMETERS]");
  });
});

describe("on a remote session", () => {
  const servers: FakeSparkConnectServer[] = [];
  const sessions: Session<"remote">[] = [];
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  });

  test("the arguments go to Spark as the SQL relation's named_arguments / pos_arguments literals", async () => {
    const base = { sessionId: "s", serverSideSessionId: "srv-1", operationId: "op" };
    const server = await new FakeSparkConnectServer({
      async *executePlan() {
        yield { ...base, responseId: "r1", responseType: { case: "sqlCommandResult" as const, value: { relation: { relType: { case: "sql" as const, value: { query: "SELECT 1" } } } } } };
        yield { ...base, responseId: "r2", responseType: { case: "resultComplete" as const, value: {} } } as never;
      },
    }).start();
    servers.push(server);
    const remote = Session.builder().remote(server.url).getOrCreate();
    sessions.push(remote);
    await remote.sql("SELECT * FROM t WHERE a > :min AND b = :name", { min: 1, name: "x" });
    await remote.sql("SELECT * FROM t WHERE a > ?", [5]);
    const [named, positional] = server.requests("executePlan").map((r) => r.plan.opType.value.commandType.value.input.relType.value);
    expect(named.query).toBe("SELECT * FROM t WHERE a > :min AND b = :name");
    expect(named.namedArguments.min.exprType.value.literalType).toEqual({ case: "integer", value: 1 });
    expect(named.namedArguments.name.exprType.value.literalType).toEqual({ case: "string", value: "x" });
    expect(positional.posArguments.map((e: { exprType: { value: { literalType: unknown } } }) => e.exprType.value.literalType)).toEqual([{ case: "integer", value: 5 }]);
  });
});
