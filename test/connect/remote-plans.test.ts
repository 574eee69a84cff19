import { describe, expect, expectTypeOf, test } from "vitest";
import { Decimal, IntegerType, Session, StringType, StructField, StructType, col, count, countDistinct, expr, lit, sum, types, unix_timestamp, when, window, type Dataset } from "../../src/index.ts";
import { toConnectPlan } from "../../src/connect/index.ts";
import { toJson } from "@bufbuild/protobuf";
import { WriteStreamOperationStartSchema } from "../../src/connect/gen/spark/connect/commands_pb.ts";

// A remote session that is never contacted: toConnectPlan shows what would be sent.
const remote = () => Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
const attr = (name: string, planId?: string) => ({ unresolvedAttribute: { unparsedIdentifier: name, ...(planId === undefined ? {} : { planId }) } });
// Spark 4.0's Scala client sets the optional is_internal of every UnresolvedFunction (false).
const fn = (functionName: string, ...args: unknown[]) => ({ unresolvedFunction: { functionName, arguments: args, isInternal: false } });
const int = (v: number) => ({ literal: { integer: v } });
const str = (v: string) => ({ literal: { string: v } });

describe("toConnectPlan: the plan Spark's client builds, call by call", () => {
  test("lit(Decimal) and lit(array) go as Spark's decimal and array literals, typed as a local session types them", () => {
    const spark = remote();
    const plan = toConnectPlan(spark.range(1).select(
      lit(new Decimal("1.50")), lit([1, 2]), lit([1, 2.5]), lit([[1n], null, []]), lit([new Decimal("1.5"), 2]), lit([]),
    )) as any;
    const array = (elementType: unknown, elements: unknown[]) => ({ literal: { array: { elementType, elements } } });
    expect(plan.root.project.expressions).toEqual([
      { literal: { decimal: { value: "1.50", precision: 3, scale: 2 } } },
      array({ integer: {} }, [{ integer: 1 }, { integer: 2 }]),
      array({ double: {} }, [{ double: 1 }, { double: 2.5 }]),
      array({ array: { elementType: { long: {} }, containsNull: true } }, [
        { array: { elementType: { long: {} }, elements: [{ long: "1" }] } },
        { null: { array: { elementType: { long: {} }, containsNull: true } } },
        { array: { elementType: { long: {} } } },
      ]),
      array({ decimal: { precision: 11, scale: 1 } }, [{ decimal: { value: "1.5", precision: 11, scale: 1 } }, { decimal: { value: "2", precision: 11, scale: 1 } }]),
      { literal: { array: { elementType: { null: {} } } } },
    ]);
  });

  test("the issue's job: readStream…json, withWatermark, groupBy(col, window).count(), and the writer's command", () => {
    const spark = remote();
    const logs = spark.readStream.schema("time TIMESTAMP, action STRING").json("s3a://bucket/logs/");
    const counts = logs.withWatermark("time", "10 minutes").groupBy(col("action"), window(col("time"), "1 hour")).count();
    const writer = counts.writeStream.outputMode("update").format("delta").option("checkpointLocation", "s3a://bucket/ckpt/counts");
    const plan = toConnectPlan(writer) as any;
    expect(Object.keys(plan)).toEqual(["command"]);
    const start = plan.command.writeStreamOperationStart;
    expect(start).toEqual({
      input: (toConnectPlan(counts) as any).root,
      format: "delta", options: { checkpointLocation: "s3a://bucket/ckpt/counts" }, outputMode: "update",
    });
    const root = (toConnectPlan(counts) as any).root;
    expect(root.aggregate.input.input).toBeUndefined();
    expect(root.aggregate.input.withWatermark.input.read).toEqual({
      isStreaming: true, dataSource: { format: "json", schema: "time TIMESTAMP, action STRING", paths: ["s3a://bucket/logs/"] },
    });
    expect(root.aggregate.groupingExpressions[1]).toEqual(fn("window", attr("time"), str("1 hour"), str("1 hour"), str("0 second")));
    expect(root.aggregate.aggregateExpressions).toEqual([{ alias: { expr: fn("count", int(1)), name: ["count"] } }]);
  });

  test("createDataFrame([], ddl) is a LocalRelation with Spark's JSON schema and no data; plan ids count per session", () => {
    const spark = remote();
    const df = spark.createDataFrame([], "a INT, b STRING");
    const plan = toConnectPlan(df.limit(3)) as any;
    expect(plan.root.common.planId).toBe(String(Number(plan.root.limit.input.common.planId) + 1));
    expect(plan.root.limit).toEqual({
      input: {
        common: plan.root.limit.input.common,
        localRelation: { schema: '{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}},{"name":"b","type":"string","nullable":true,"metadata":{}}]}' },
      },
      limit: 3,
    });
    expect(plan.root.limit.input.localRelation.data).toBeUndefined();
    const withRows = toConnectPlan(spark.createDataFrame([{ a: 1, b: "x" }], "a INT, b STRING")) as any;
    expect(typeof withRows.root.localRelation.data).toBe("string"); // Arrow IPC, base64 in JSON
  });

  test("expressions: operators, isin, between, when, cast, alias, lit typing, countDistinct, df.col plan id, expr text", () => {
    const spark = remote();
    const df = spark.read.table("events");
    const out = df.select(
      col("a").equalTo(1).and(col("b").lt(2.5)),
      col("c").between(1, 3),
      col("d").isin("x", "y"),
      col("a").cast("long").alias("l"),
      lit(2 ** 40), lit(10n), lit(new Date(1000)),
      countDistinct("a", "b"),
      df.col("a"),
      expr("upper(b)"),
      col("*"), col("t.*"),
      col("a").notEqual(1),
    );
    const plan = toConnectPlan(out) as any;
    const tableId = plan.root.project.input.common.planId;
    expect(plan.root.project.input.read).toEqual({ namedTable: { unparsedIdentifier: "events" } });
    expect(plan.root.project.expressions).toEqual([
      fn("and", fn("=", attr("a"), int(1)), fn("<", attr("b"), { literal: { double: 2.5 } })),
      fn("and", fn(">=", attr("c"), int(1)), fn("<=", attr("c"), int(3))),
      fn("in", attr("d"), str("x"), str("y")),
      { alias: { expr: { cast: { expr: attr("a"), type: { long: {} } } }, name: ["l"] } },
      { literal: { long: String(2 ** 40) } }, { literal: { long: "10" } }, { literal: { timestamp: "1000000" } },
      { unresolvedFunction: { functionName: "count", arguments: [attr("a"), attr("b")], isDistinct: true, isInternal: false } },
      attr("a", tableId),
      { expressionString: { expression: "upper(b)" } },
      { unresolvedStar: {} }, { unresolvedStar: { unparsedTarget: "t.*" } },
      fn("!", fn("=", attr("a"), int(1))),
    ]);
  });

  test("relations: filter(sql), selectExpr, withColumn(s), renames, drop, toDF, alias, sort, distinct, unions, joins", () => {
    const spark = remote();
    const a = spark.createDataFrame([], "id INT, x STRING");
    const b = spark.read.format("parquet").option("mergeSchema", "true").load("/data/b");
    const root = (df: any) => (toConnectPlan(df) as any).root;
    expect(root(a.filter("id > 1")).filter.condition).toEqual({ expressionString: { expression: "id > 1" } });
    expect(root(a.selectExpr("id", "x AS y")).project.expressions).toEqual([{ expressionString: { expression: "id" } }, { expressionString: { expression: "x AS y" } }]);
    expect(root(a.withColumns({ p: lit(1), q: col("x") })).withColumns.aliases).toEqual([{ expr: int(1), name: ["p"] }, { expr: attr("x"), name: ["q"] }]);
    expect(root(a.withColumnRenamed("x", "y")).withColumnsRenamed.renames).toEqual([{ colName: "x", newColName: "y" }]);
    expect(root(a.drop("x")).drop.columnNames).toEqual(["x"]);
    expect(root(a.drop(col("x"))).drop.columns).toEqual([attr("x")]);
    expect(root(a.toDF("i", "s")).toDf.columnNames).toEqual(["i", "s"]);
    expect(root(a.alias("t")).subqueryAlias.alias).toBe("t");
    expect(root(a.orderBy("id")).sort.order).toEqual([{ child: attr("id"), direction: "SORT_DIRECTION_ASCENDING", nullOrdering: "SORT_NULLS_FIRST" }]);
    expect(root(a.distinct()).deduplicate).toMatchObject({ allColumnsAsKeys: true, withinWatermark: false });
    expect(root(a.union(b)).setOp).toMatchObject({ setOpType: "SET_OP_TYPE_UNION", isAll: true });
    expect(root(a.union(b)).setOp.byName).toBeUndefined();
    expect(root(a.unionByName(b, true)).setOp).toMatchObject({ setOpType: "SET_OP_TYPE_UNION", isAll: true, byName: true, allowMissingColumns: true });
    expect(root(b).read.dataSource).toEqual({ format: "parquet", options: { mergeSchema: "true" }, paths: ["/data/b"] });
    const inner = root(a.join(b));
    expect(inner.join.joinType).toBe("JOIN_TYPE_INNER");
    expect(inner.join.joinCondition).toBeUndefined();
    expect(root(a.join(b, ["id"], "left")).join).toMatchObject({ joinType: "JOIN_TYPE_LEFT_OUTER", usingColumns: ["id"] });
    expect(root(a.join(b, a.col("id").equalTo(b.col("id")), "inner")).join.joinCondition.unresolvedFunction.functionName).toBe("=");
    expect(root(a.crossJoin(b)).join.joinType).toBe("JOIN_TYPE_CROSS");
    expect(root(a.groupBy("x").agg(count("*").as("n"))).aggregate.aggregateExpressions).toEqual([{ alias: { expr: fn("count", int(1)), name: ["n"] } }]);
    expect(root(a.groupBy("x").agg(count(a.col("*")), count(col("t.*")))).aggregate.aggregateExpressions)
      .toEqual([fn("count", int(1)), fn("count", { unresolvedStar: { unparsedTarget: "t.*" } })]);
    const grouped = root(a.groupBy("x").avg("id"));
    expect(grouped.aggregate.aggregateExpressions).toEqual([fn("avg", attr("id", grouped.aggregate.input.common.planId))]);
  });

  test("writers: only what was set; start(path), toTable(name) and triggers", () => {
    const spark = remote();
    const s = spark.readStream.format("rate").load();
    const bare = (toConnectPlan(s.writeStream) as any).command.writeStreamOperationStart;
    expect(Object.keys(bare)).toEqual(["input"]);
    const w = (toConnectPlan(s.writeStream.queryName("q").trigger({ availableNow: true })) as any).command.writeStreamOperationStart;
    expect(w).toMatchObject({ queryName: "q", availableNow: true });
    expect((toConnectPlan(s.writeStream.trigger({ once: true })) as any).command.writeStreamOperationStart.once).toBe(true);
  });

  test("getItem/getField are UnresolvedExtractValue, substr is substr; a StructType schema goes as Spark's DDL", () => {
    const spark = remote();
    const df = spark.read.schema(new StructType([StructField("a", IntegerType, false), StructField("b", StringType)])).json("/in");
    const plan = toConnectPlan(df.select(col("m").getItem("k"), col("s").getField("f"), col("b").substr(1, 2))) as any;
    expect(plan.root.project.input.read.dataSource.schema).toBe("a INT NOT NULL,b STRING");
    expect(plan.root.project.expressions).toEqual([
      { unresolvedExtractValue: { child: attr("m"), extraction: str("k") } },
      { unresolvedExtractValue: { child: attr("s"), extraction: str("f") } },
      fn("substr", attr("b"), int(1), int(2)),
    ]);
  });

  test("withField and dropFields are Spark's UpdateFields with the path as written, one per dropped name", () => {
    const df = remote().read.table("events");
    const plan = toConnectPlan(df.select(col("s").withField("a.b.c", lit(1)), col("s").withField("x", col("y")), col("s").dropFields("a.b", "`d.e`"))) as any;
    expect(plan.root.project.expressions).toEqual([
      { updateFields: { structExpression: attr("s"), fieldName: "a.b.c", valueExpression: int(1) } },
      { updateFields: { structExpression: attr("s"), fieldName: "x", valueExpression: attr("y") } },
      { updateFields: { structExpression: { updateFields: { structExpression: attr("s"), fieldName: "a.b" } }, fieldName: "`d.e`" } },
    ]);
  });

  test("the typed Dataset API works the same on a remote session: checked names, the same plan", () => {
    const Log = types.struct({ time: types.timestamp(), action: types.string(), bytes: types.long().nullable() });
    const logs = remote().createDataFrame([], Log);
    const perAction = logs.select("action", "bytes").groupBy("action").agg(sum("bytes").as("total"));
    expectTypeOf(perAction).toEqualTypeOf<Dataset<{ action: string; total: number | null }, "remote">>();
    // @ts-expect-error "acton" is not a column of Log
    logs.select("acton");
    const agg = (toConnectPlan(perAction) as any).root.aggregate;
    expect(agg.groupingExpressions).toEqual([attr("action")]);
    expect(agg.aggregateExpressions).toEqual([{ alias: { expr: fn("sum", attr("bytes")), name: ["total"] } }]);
    expect(agg.input.project.input.localRelation.schema).toBe(
      '{"type":"struct","fields":[{"name":"time","type":"timestamp","nullable":false,"metadata":{}},{"name":"action","type":"string","nullable":false,"metadata":{}},{"name":"bytes","type":"long","nullable":true,"metadata":{}}]}',
    );
  });

  test("a local session's DataFrame has no Connect plan", () => {
    const local = new Session();
    const accepted = "toConnectPlan needs a DataFrame of a remote session (Session.builder().remote(url)), its df.write or its df.writeStream";
    expect(() => toConnectPlan(local.createDataFrame([], "a INT"))).toThrow(accepted);
    expect(() => toConnectPlan(local.createDataFrame([], "a INT").write)).toThrow(accepted);
  });

  test("a remote DataFrame's df.write gives the WriteOperation command a plain save() sends", () => {
    const df = remote().read.table("events");
    const plan = toConnectPlan(df.write.mode("overwrite").format("parquet").option("path", "s3a://bucket/out")) as any;
    expect(plan).toEqual({
      command: { writeOperation: { input: (toConnectPlan(df) as any).root, source: "parquet", mode: "SAVE_MODE_OVERWRITE", options: { path: "s3a://bucket/out" } } },
    });
  });
});

describe("toConnectPlan: whole plans as Spark 4.0's Scala client writes them", () => {
  // Expected plans from Spark's source (sql/connect/common: Dataset, DataStreamReader/Writer,
  // columnNodeSupport, DataTypeProtoConverter; its PlanGenerationTestSuite goldens), without the
  // JVM-only `common.origin` stack traces. Plan ids are counted from the first Relation made.
  const SIMPLE = "id BIGINT, a INT, b DOUBLE";
  const simpleJson = '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"a","type":"integer","nullable":true,"metadata":{}},{"name":"b","type":"double","nullable":true,"metadata":{}}]}';
  const ids = (first: any) => { const base = BigInt(first); return (i: number) => String(base + BigInt(i)); };
  const root = (x: any) => (toConnectPlan(x) as any).root;

  test("dropDuplicates(), withColumnRenamed, drop(name): the optional fields Spark sets, and only those", () => {
    const spark = remote();
    const simple = spark.createDataFrame([], SIMPLE);
    const id = ids(root(simple).common.planId);
    const local = { common: { planId: id(0) }, localRelation: { schema: simpleJson } };
    expect(root(simple.dropDuplicates())).toEqual({ common: { planId: id(1) }, deduplicate: { input: local, allColumnsAsKeys: true, withinWatermark: false } });
    expect(root(simple.withColumnRenamed("id", "nid"))).toEqual({ common: { planId: id(2) }, withColumnsRenamed: { input: local, renames: [{ colName: "id", newColName: "nid" }] } });
    expect(root(simple.drop("a"))).toEqual({ common: { planId: id(3) }, drop: { input: local, columnNames: ["a"] } });
    expect(root(simple.dropDuplicatesWithinWatermark("id"))).toEqual({ common: { planId: id(4) }, deduplicate: { input: local, columnNames: ["id"], withinWatermark: true } });
  });

  test("join(right), crossJoin(right): the join type and nothing else; plan ids left, right, join", () => {
    const spark = remote();
    const left = spark.createDataFrame([], SIMPLE);
    const right = spark.createDataFrame([], "a INT, id BIGINT");
    const id = ids(root(left).common.planId);
    const inner = root(left.join(right));
    expect(inner.common.planId).toBe(id(2));
    expect(inner.join).toEqual({ left: root(left), right: root(right), joinType: "JOIN_TYPE_INNER" });
    expect(root(right).common.planId).toBe(id(1));
    expect(root(left.crossJoin(right)).join).toEqual({ left: root(left), right: root(right), joinType: "JOIN_TYPE_CROSS" });
    expect(root(left.join(right, "id", "left_outer")).join).toEqual({ left: root(left), right: root(right), joinType: "JOIN_TYPE_LEFT_OUTER", usingColumns: ["id"] });
  });

  test("groupBy(col).count(), between, when…otherwise, =!=, cast to a string type", () => {
    const spark = remote();
    const simple = spark.createDataFrame([], SIMPLE);
    const id = ids(root(simple).common.planId);
    expect(root(simple.groupBy(col("id")).count())).toEqual({
      common: { planId: id(1) },
      aggregate: {
        input: root(simple), groupType: "GROUP_TYPE_GROUPBY",
        groupingExpressions: [{ unresolvedAttribute: { unparsedIdentifier: "id" } }],
        aggregateExpressions: [{ alias: { expr: { unresolvedFunction: { functionName: "count", arguments: [{ literal: { integer: 1 } }], isInternal: false } }, name: ["count"] } }],
      },
    });
    const [between, caseWhen, notEquals, toString] = root(simple.select(
      col("a").between(10, 20),
      when(col("a").lt(10), "low").when(col("a").lt(20), "medium").otherwise("high"),
      col("a").notEqual(col("b")),
      col("a").cast("string"),
    )).project.expressions;
    expect(between).toEqual({ unresolvedFunction: { functionName: "and", arguments: [fn(">=", attr("a"), int(10)), fn("<=", attr("a"), int(20))], isInternal: false } });
    expect(caseWhen).toEqual(fn("when", fn("<", attr("a"), int(10)), str("low"), fn("<", attr("a"), int(20)), str("medium"), str("high")));
    expect(notEquals).toEqual(fn("!", fn("=", attr("a"), attr("b"))));
    expect(toString).toEqual({ cast: { expr: attr("a"), type: { string: { collation: "UTF8_BINARY" } } } });
    expect(root(simple.select(unix_timestamp(), col("a").cast("decimal(10,2)"))).project.expressions).toEqual([
      fn("unix_timestamp", { unresolvedFunction: { functionName: "current_timestamp", isInternal: false } }),
      { cast: { expr: attr("a"), type: { decimal: { precision: 10, scale: 2 } } } },
    ]);
  });

  test("names: df.col carries the plan id; backticks parsed and re-quoted as Spark's UnresolvedAttribute.sql", () => {
    const spark = remote();
    const simple = spark.createDataFrame([], SIMPLE);
    const planId = root(simple).common.planId;
    expect(root(simple.select(simple.col("a"), col("`a`"), col("`a.b`"), col("d.*"), col("t.`x`"))).project.expressions).toEqual([
      { unresolvedAttribute: { unparsedIdentifier: "a", planId } },
      attr("a"), attr("`a.b`"), { unresolvedStar: { unparsedTarget: "d.*" } }, attr("t.x"),
    ]);
  });

  test("read.json(path), read.options(…).table(name), readStream with a StructType (as Spark's JSON) or a DDL string (as written)", () => {
    const spark = remote();
    expect(root(spark.read.json("people.json")).read).toEqual({ dataSource: { format: "json", paths: ["people.json"] } });
    expect(root(spark.read.options({ p1: "v1", p2: "v2" }).table("tempdb.myTable")).read).toEqual({ namedTable: { unparsedIdentifier: "tempdb.myTable", options: { p1: "v1", p2: "v2" } } });
    const schema = new StructType([StructField("a", IntegerType, false), StructField("b", StringType)]);
    expect(root(spark.readStream.schema(schema).format("json").load("/in")).read).toEqual({
      isStreaming: true,
      dataSource: { format: "json", schema: '{"type":"struct","fields":[{"name":"a","type":"integer","nullable":false,"metadata":{}},{"name":"b","type":"string","nullable":true,"metadata":{}}]}', paths: ["/in"] },
    });
    expect(root(spark.readStream.schema("a INT, b STRING").option("maxFilesPerTrigger", 1).csv("/in")).read).toEqual({
      isStreaming: true, dataSource: { format: "csv", schema: "a INT, b STRING", options: { maxFilesPerTrigger: "1" }, paths: ["/in"] },
    });
    expect(root(spark.readStream.option("k", "v").table("events")).read).toEqual({ isStreaming: true, namedTable: { unparsedIdentifier: "events", options: { k: "v" } } });
  });

  test("start(path) / toTable(name): format, partitioning, trigger, path or table name", () => {
    const spark = remote();
    const s = spark.readStream.format("rate").load();
    const writer = s.writeStream.format("parquet").partitionBy("a").trigger({ processingTime: "10 seconds" }).option("checkpointLocation", "/ckpt");
    const input = root(s);
    expect(toJson(WriteStreamOperationStartSchema, (writer as any).command({ path: "/out" }))).toEqual({
      input, format: "parquet", options: { checkpointLocation: "/ckpt" }, partitioningColumnNames: ["a"], processingTimeInterval: "10000 milliseconds", path: "/out",
    });
    expect(toJson(WriteStreamOperationStartSchema, (writer as any).command({ tableName: "t" }))).toMatchObject({ tableName: "t" });
  });
});

describe("toConnectPlan: hints, partitioning, to, sampleBy and unpivot as Spark's own relations", () => {
  const base = () => remote().createDataFrame([], "id INT, url STRING, bytes BIGINT, hits INT");
  const rootOf = (df: Dataset<any, "remote">) => (toConnectPlan(df) as any).root;

  test("hint: the name and its parameters (a Column as itself, anything else a literal)", () => {
    const hinted = rootOf(base().hint("broadcast"));
    expect(hinted.hint).toMatchObject({ name: "broadcast" });
    expect(hinted.hint.parameters ?? []).toEqual([]);
    expect(hinted.hint.input.localRelation).toBeDefined();
    expect(rootOf(base().hint("repartition", 4, col("url"))).hint.parameters).toEqual([int(4), attr("url")]);
  });

  test("repartition(n) shuffles, coalesce(n) does not; columns make a RepartitionByExpression; a range one sorts its columns", () => {
    expect(rootOf(base().repartition(8)).repartition).toMatchObject({ numPartitions: 8, shuffle: true });
    expect(rootOf(base().coalesce(2)).repartition).toMatchObject({ numPartitions: 2, shuffle: false });
    expect(rootOf(base().repartition(4, "url")).repartitionByExpression).toMatchObject({ numPartitions: 4, partitionExprs: [attr("url")] });
    const byCols = rootOf(base().repartition(col("url"), "id")).repartitionByExpression;
    expect(byCols.partitionExprs).toEqual([attr("url"), attr("id")]);
    expect(byCols.numPartitions).toBeUndefined();
    const byRange = rootOf(base().repartitionByRange(3, "id", col("bytes").desc())).repartitionByExpression;
    expect(byRange.numPartitions).toBe(3);
    expect(byRange.partitionExprs).toEqual([
      { sortOrder: { child: attr("id"), direction: "SORT_DIRECTION_ASCENDING", nullOrdering: "SORT_NULLS_FIRST" } },
      { sortOrder: { child: attr("bytes"), direction: "SORT_DIRECTION_DESCENDING", nullOrdering: "SORT_NULLS_LAST" } },
    ]);
    expect(() => base().repartition(0)).toThrow("Number of partitions (0) must be positive.");
    expect(() => base().repartitionByRange(2)).toThrow("requirement failed: At least one partition-by expression must be specified.");
  });

  test("sortWithinPartitions is a Sort that is not global", () => {
    const sort = rootOf(base().sortWithinPartitions("id")).sort;
    expect(sort.isGlobal ?? false).toBe(false);
    expect(sort.order).toEqual([{ child: attr("id"), direction: "SORT_DIRECTION_ASCENDING", nullOrdering: "SORT_NULLS_FIRST" }]);
    expect(rootOf(base().sort("id")).sort.isGlobal).toBe(true);
  });

  test("sampleBy: the strata as literals with their fractions, and the seed", () => {
    const byMap = rootOf(base().sampleBy("hits", new Map([[1, 0.5], [2, 0.1]]), 42)).sampleBy;
    expect(byMap).toMatchObject({ col: attr("hits"), seed: "42" });
    expect(byMap.fractions).toEqual([{ stratum: { integer: 1 }, fraction: 0.5 }, { stratum: { integer: 2 }, fraction: 0.1 }]);
    expect(rootOf(base().sampleBy(col("url"), { "/a": 1 })).sampleBy.fractions).toEqual([{ stratum: { string: "/a" }, fraction: 1 }]);
  });

  test("to(schema): a ToSchema with Spark's DataType; a DDL typo fails at the call", () => {
    const to = rootOf(base().to("url STRING, id BIGINT")).toSchema;
    expect(to.schema.struct.fields.map((f: any) => [f.name, Object.keys(f.dataType)[0]])).toEqual([["url", "string"], ["id", "long"]]);
    expect(() => base().to("url STRNG")).toThrow();
  });

  test("unpivot/melt: ids and values, or no values for every other column (the server picks them)", () => {
    const named = rootOf(base().unpivot("id", ["bytes", col("hits")], "metric", "value")).unpivot;
    expect(named).toMatchObject({ ids: [attr("id")], values: { values: [attr("bytes"), attr("hits")] }, variableColumnName: "metric", valueColumnName: "value" });
    const all = rootOf(base().melt(["id", "url"], null, "k", "v")).unpivot;
    expect(all.ids).toEqual([attr("id"), attr("url")]);
    expect(all.values).toBeUndefined();
  });
});

describe("refused on a remote session, at the call", () => {
  const spark = () => Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
  test("JavaScript functions", () => {
    const df = spark().createDataFrame([], "bytes INT");
    expect(() => df.filter((r: any) => r.bytes > 1)).toThrow(
      '[UNSUPPORTED_ON_SPARK_CONNECT] filter(row => …) runs a JavaScript function, which a Spark cluster cannot run: use Column expressions (`filter(col("bytes").gt(1024))`) or a local session.',
    );
    expect(() => df.map((r) => r, "bytes INT")).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] map\(row => …\) runs a JavaScript function/);
    expect(() => df.groupByKey((r) => r.bytes)).toThrow(/runs a JavaScript function, which a Spark cluster cannot run/);
  });

  test("foreachBatch and the JDBC sink", () => {
    const s = spark().readStream.format("rate").load();
    expect(() => s.writeStream.foreachBatch(() => undefined)).toThrow(
      "[UNSUPPORTED_ON_SPARK_CONNECT] foreachBatch: Spark runs only Python and Scala foreachBatch functions: write with Spark's sinks (`format(\"json\" | \"parquet\" | \"delta\" | \"kafka\")`, `toTable`).",
    );
    expect(() => s.writeStream.foreach(() => undefined)).toThrow("[UNSUPPORTED_ON_SPARK_CONNECT] foreach: Spark runs only Python and Scala foreach functions");
    expect(() => s.writeStream.format("jdbc")).toThrow(
      "Spark has no streaming JDBC sink and rivulet's runs in this process: let Spark write the stream to files exactly once (`format(\"json\").option(\"path\", dir)`) and a local rivulet job move them to the database (`spark.readStream.json(dir)…format(\"jdbc\")`).",
    );
  });
});

describe("local only on a remote session", () => {
  const spark = () => Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
  test("DStreams, MemoryStream, Flume sources, streaming INSERT … FROM STREAM(t), rivulet.* settings", async () => {
    const { StreamingContext, MemoryStream } = await import("../../src/index.ts");
    // @ts-expect-error the types refuse a remote session too (SPARK_REMOTE can make a plain builder's session remote)
    expect(() => new StreamingContext(spark(), 1)).toThrow("[UNSUPPORTED_ON_SPARK_CONNECT] DStreams on a remote session: not part of Spark Connect: use readStream/writeStream.");
    // @ts-expect-error as above
    expect(() => new MemoryStream(spark(), "a INT")).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] MemoryStream: local only/);
    expect(() => spark().readStream.format("flume").option("port", 4141).load()).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] Flume sources: local only/);
    expect(() => spark().sql("INSERT INTO sink SELECT * FROM STREAM(events)")).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] streaming INSERT INTO … FROM STREAM\(t\): local only/);
    expect(() => spark().sqlScript("CREATE TABLE t (a INT); INSERT INTO t VALUES (1)")).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] sqlScript \(rivulet's statement-by-statement runner; on Spark, `await spark.sql\(statement\)` each one\): local only/);
    expect(() => spark().conf.set("rivulet.ui.port", 4040)).toThrow(/^\[UNSUPPORTED_ON_SPARK_CONNECT\] the setting rivulet.ui.port: local only/);
    expect(() => spark().conf.set("spark.sql.shuffle.partitions", 8)).not.toThrow();
  });
});
