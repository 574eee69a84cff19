import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import type { CatalogSchema } from "../gen/spark/connect/catalog_pb.ts";
import type { DataTypeSchema } from "../gen/spark/connect/types_pb.ts";
import type { Expression, Expression_Literal, Expression_SortOrder } from "../gen/spark/connect/expressions_pb.ts";
import {
  Aggregate_GroupType, Join_JoinType, RelationCommonSchema, RelationSchema, SetOperation_SetOpType, type Relation,
} from "../gen/spark/connect/relations_pb.ts";
import { alias, call, literal } from "./expressions.ts";

type RelType = MessageInitShape<typeof RelationSchema>["relType"];

/**
 * Builds Spark Connect Relations call by call, as Spark's Connect client does: each new
 * Relation gets `common.plan_id` from one counter per session, in creation order, so
 * `df.col("x")` can name the DataFrame it came from.
 */
export class RelationBuilder {
  #nextPlanId = 0n;

  #relation(relType: RelType): Relation {
    return create(RelationSchema, { common: { planId: this.#nextPlanId++ }, relType });
  }

  /**
   * `createDataFrame(rows, schema)`: the schema as Spark's JSON, the rows as Arrow IPC and no
   * `data` when there are none (Spark 4.0's Scala client; PySpark sends an empty Arrow stream).
   */
  localRelation(schemaDdl: string, arrowIpc: Uint8Array | null): Relation {
    return this.#relation({ case: "localRelation", value: { schema: schemaDdl, ...(arrowIpc === null ? {} : { data: arrowIpc }) } });
  }

  /** `read`/`readStream…format(f).schema(s).option(…).load(paths)`: paths as written, read by the cluster. */
  readDataSource(source: { format?: string; schema?: string; options: Record<string, string>; paths: readonly string[] }, isStreaming: boolean): Relation {
    // read.jdbc(url, table, predicates, properties) carries its WHERE clauses in an option: Spark's field is DataSource.predicates.
    const options = { ...source.options };
    const predicatesKey = source.format?.toLowerCase() === "jdbc" ? Object.keys(options).find((k) => k.toLowerCase() === "predicates") : undefined;
    const predicates = predicatesKey === undefined ? [] : (JSON.parse(options[predicatesKey]!) as string[]);
    if (predicatesKey !== undefined) delete options[predicatesKey];
    const dataSource = {
      ...(source.format === undefined ? {} : { format: source.format }),
      ...(source.schema === undefined ? {} : { schema: source.schema }),
      options, paths: [...source.paths], ...(predicates.length === 0 ? {} : { predicates }),
    };
    return this.#relation({ case: "read", value: { isStreaming, readType: { case: "dataSource", value: dataSource } } });
  }

  /** `table(name)`, `read.table`, `readStream.table`. */
  readTable(name: string, options: Record<string, string>, isStreaming: boolean): Relation {
    return this.#relation({ case: "read", value: { isStreaming, readType: { case: "namedTable", value: { unparsedIdentifier: name, options } } } });
  }

  /** `spark.sql(text)` as a relation (what a SqlCommand answers with for a query). */
  sql(query: string): Relation {
    return this.#relation({ case: "sql", value: { query } });
  }

  project(input: Relation, expressions: readonly Expression[]): Relation {
    return this.#relation({ case: "project", value: { input, expressions: [...expressions] } });
  }

  filter(input: Relation, condition: Expression): Relation {
    return this.#relation({ case: "filter", value: { input, condition } });
  }

  /** `withColumn`/`withColumns`: one WithColumns of aliases. */
  withColumns(input: Relation, columns: readonly (readonly [string, Expression])[]): Relation {
    const aliases = columns.map(([name, e]) => ({ expr: e, name: [name] }));
    return this.#relation({ case: "withColumns", value: { input, aliases } });
  }

  withColumnsRenamed(input: Relation, renames: readonly (readonly [string, string])[]): Relation {
    return this.#relation({ case: "withColumnsRenamed", value: { input, renames: renames.map(([colName, newColName]) => ({ colName, newColName })) } });
  }

  drop(input: Relation, columns: readonly Expression[], columnNames: readonly string[]): Relation {
    return this.#relation({ case: "drop", value: { input, columns: [...columns], columnNames: [...columnNames] } });
  }

  toDF(input: Relation, columnNames: readonly string[]): Relation {
    return this.#relation({ case: "toDf", value: { input, columnNames: [...columnNames] } });
  }

  subqueryAlias(input: Relation, name: string): Relation {
    return this.#relation({ case: "subqueryAlias", value: { input, alias: name } });
  }

  /** `sample`, and each split of `randomSplit` (deterministicOrder: the input sorted within partitions first, as Spark's client asks). */
  sample(input: Relation, lowerBound: number, upperBound: number, withReplacement: boolean, seed: bigint, deterministicOrder = false): Relation {
    return this.#relation({ case: "sample", value: { input, lowerBound, upperBound, withReplacement, seed, deterministicOrder } });
  }

  /** `describe(cols…)` (StatDescribe) and `summary(stats…)` (StatSummary): the server computes them. */
  describe(input: Relation, cols: readonly string[]): Relation {
    return this.#relation({ case: "describe", value: { input, cols: [...cols] } });
  }

  summary(input: Relation, statistics: readonly string[]): Relation {
    return this.#relation({ case: "summary", value: { input, statistics: [...statistics] } });
  }

  limit(input: Relation, n: number): Relation {
    return this.#relation({ case: "limit", value: { input, limit: n } });
  }

  sort(input: Relation, order: readonly Expression_SortOrder[], isGlobal = true): Relation {
    return this.#relation({ case: "sort", value: { input, order: [...order], isGlobal } });
  }

  /** `na.fill(value[, cols])` (one value, cols empty for every column) or `na.fill(map)` (a value per column). */
  naFill(input: Relation, cols: readonly string[], values: readonly unknown[]): Relation {
    const literals = values.map((v) => literal(v).exprType.value as Expression_Literal);
    return this.#relation({ case: "fillNa", value: { input, cols: [...cols], values: literals } });
  }

  /** `na.replace(cols, map)`: cols empty for every column; each pair an old and a new literal (a null new value a null literal). */
  naReplace(input: Relation, cols: readonly string[], pairs: readonly (readonly [unknown, unknown])[]): Relation {
    const lit = (v: unknown) => literal(v).exprType.value as Expression_Literal;
    const replacements = pairs.map(([oldValue, newValue]) => ({ oldValue: lit(oldValue), newValue: lit(newValue) }));
    return this.#relation({ case: "replace", value: { input, cols: [...cols], replacements } });
  }

  /** `na.drop(…)`: min_non_nulls unset for "any". */
  naDrop(input: Relation, cols: readonly string[], minNonNulls: number | null): Relation {
    return this.#relation({ case: "dropNa", value: { input, cols: [...cols], ...(minNonNulls === null ? {} : { minNonNulls }) } });
  }

  /** `dropDuplicates()`/`distinct()` (every column), or `dropDuplicates(names)`; `dropDuplicatesWithinWatermark` sets within_watermark. */
  deduplicate(input: Relation, columnNames: readonly string[] | null, withinWatermark = false): Relation {
    const keys = columnNames === null ? { allColumnsAsKeys: true } : { columnNames: [...columnNames] };
    return this.#relation({ case: "deduplicate", value: { input, ...keys, withinWatermark } });
  }

  /**
   * `union`/`unionAll` (is_all), `unionByName` (by_name, is_all, allow_missing_columns),
   * intersect/except (is_all false or true): the optional fields Spark 4.0's Scala client sets.
   */
  setOperation(left: Relation, right: Relation, op: "union" | "intersect" | "except", options: { isAll: boolean; byName?: boolean; allowMissingColumns?: boolean }): Relation {
    const setOpType = op === "union" ? SetOperation_SetOpType.UNION : op === "intersect" ? SetOperation_SetOpType.INTERSECT : SetOperation_SetOpType.EXCEPT;
    return this.#relation({
      case: "setOp",
      value: {
        leftInput: left, rightInput: right, setOpType, isAll: options.isAll,
        ...(options.byName === undefined ? {} : { byName: options.byName }),
        ...(options.allowMissingColumns === undefined ? {} : { allowMissingColumns: options.allowMissingColumns }),
      },
    });
  }

  /** `join(right)` (inner, no condition), `join(right, "id" | ["id"], how)` (using columns), `join(right, cond, how)`, `crossJoin`. */
  join(left: Relation, right: Relation, how: string, on: { condition?: Expression; usingColumns?: readonly string[] }): Relation {
    return this.#relation({
      case: "join",
      value: {
        left, right, joinType: joinTypeOf(how),
        ...(on.condition === undefined ? {} : { joinCondition: on.condition }),
        usingColumns: [...(on.usingColumns ?? [])],
      },
    });
  }

  /** `groupBy(keys).agg(aggregates)`; `count()` is `count(lit(1)) AS count`, as Spark's GroupedData builds it. */
  aggregate(input: Relation, groupings: readonly Expression[], aggregates: readonly Expression[], groupType: "groupby" | "rollup" | "cube" = "groupby"): Relation {
    const type = groupType === "rollup" ? Aggregate_GroupType.ROLLUP : groupType === "cube" ? Aggregate_GroupType.CUBE : Aggregate_GroupType.GROUPBY;
    return this.#relation({
      case: "aggregate",
      value: { input, groupType: type, groupingExpressions: [...groupings], aggregateExpressions: [...aggregates] },
    });
  }

  /** `groupBy(keys).pivot(col[, values]).agg(…)`: without values the server collects them (Spark's Connect planner). */
  pivotAggregate(input: Relation, groupings: readonly Expression[], pivotColumn: Expression, values: readonly Expression[], aggregates: readonly Expression[]): Relation {
    const literals = values.map((v) => {
      if (v.exprType.case !== "literal") throw new TypeError("pivot: the values must be literals");
      return v.exprType.value;
    });
    return this.#relation({
      case: "aggregate",
      value: {
        input, groupType: Aggregate_GroupType.PIVOT, groupingExpressions: [...groupings], aggregateExpressions: [...aggregates],
        pivot: { col: pivotColumn, values: literals },
      },
    });
  }

  /** `groupingSets(sets, cols…).agg(…)`. */
  groupingSetsAggregate(input: Relation, groupings: readonly Expression[], sets: readonly (readonly Expression[])[], aggregates: readonly Expression[]): Relation {
    return this.#relation({
      case: "aggregate",
      value: {
        input, groupType: Aggregate_GroupType.GROUPING_SETS, groupingExpressions: [...groupings], aggregateExpressions: [...aggregates],
        groupingSets: sets.map((set) => ({ groupingSet: [...set] })),
      },
    });
  }

  /** `spark.range(start, end, step[, numPartitions])`. */
  range(start: number, end: number, step: number, numPartitions?: number): Relation {
    return this.#relation({ case: "range", value: { start: BigInt(start), end: BigInt(end), step: BigInt(step), ...(numPartitions === undefined ? {} : { numPartitions }) } });
  }

  offset(input: Relation, n: number): Relation {
    return this.#relation({ case: "offset", value: { input, offset: n } });
  }

  /** `show(n, truncate, vertical)`: Spark formats the table; the answer is one string. */
  showString(input: Relation, numRows: number, truncate: number, vertical: boolean): Relation {
    return this.#relation({ case: "showString", value: { input, numRows, truncate, vertical } });
  }

  /** A Relation the server sent back (a SqlCommand's result), as a new DataFrame of this session. */
  adopt(relation: Relation): Relation {
    const copy = clone(RelationSchema, relation);
    copy.common = create(RelationCommonSchema, { ...(relation.common === undefined ? {} : { sourceInfo: relation.common.sourceInfo }), planId: this.#nextPlanId++ });
    return copy;
  }

  /** `spark.catalog.…`: one Catalog relation per call. */
  catalog(catType: NonNullable<MessageInitShape<typeof CatalogSchema>["catType"]>): Relation {
    return this.#relation({ case: "catalog", value: { catType } });
  }

  /** `hint(name, params…)`: Spark picks its join and shuffle strategies from it. */
  hint(input: Relation, name: string, parameters: readonly Expression[]): Relation {
    return this.#relation({ case: "hint", value: { input, name, parameters: [...parameters] } });
  }

  /** `repartition(n)` (shuffle) and `coalesce(n)` (no shuffle). */
  repartition(input: Relation, numPartitions: number, shuffle: boolean): Relation {
    return this.#relation({ case: "repartition", value: { input, numPartitions, shuffle } });
  }

  /** `repartition([n,] cols…)`, and `repartitionByRange` with sort orders as the expressions (Spark's Connect planner reads them as a range). */
  repartitionByExpression(input: Relation, partitionExprs: readonly Expression[], numPartitions: number | undefined): Relation {
    return this.#relation({ case: "repartitionByExpression", value: { input, partitionExprs: [...partitionExprs], ...(numPartitions === undefined ? {} : { numPartitions }) } });
  }

  /** `sampleBy(col, fractions, seed)`: the strata as literals, each with its fraction. */
  sampleBy(input: Relation, col: Expression, fractions: readonly (readonly [unknown, number])[], seed: bigint): Relation {
    const stratum = (v: unknown) => literal(v).exprType.value as Expression_Literal;
    return this.#relation({ case: "sampleBy", value: { input, col, fractions: fractions.map(([s, fraction]) => ({ stratum: stratum(s), fraction })), seed } });
  }

  /** `to(schema)`: the server reorders, casts and checks the columns against it. */
  toSchema(input: Relation, schema: MessageInitShape<typeof DataTypeSchema>): Relation {
    return this.#relation({ case: "toSchema", value: { input, schema } });
  }

  /** `unpivot(ids, values, variable, value)`; values unset (null) for every non-id column, as Spark's client sends it. */
  unpivot(input: Relation, ids: readonly Expression[], values: readonly Expression[] | null, variableColumnName: string, valueColumnName: string): Relation {
    return this.#relation({
      case: "unpivot",
      value: { input, ids: [...ids], ...(values === null ? {} : { values: { values: [...values] } }), variableColumnName, valueColumnName },
    });
  }

  withWatermark(input: Relation, eventTime: string, delayThreshold: string): Relation {
    return this.#relation({ case: "withWatermark", value: { input, eventTime, delayThreshold } });
  }
}

/** GroupedData.count()'s aggregate. */
export const COUNT_ROWS: Expression = alias(call("count", [literal(1)]), "count");

/** Spark's join type names (Dataset.join's `joinType`), case- and underscore-insensitive. */
export function joinTypeOf(how: string): Join_JoinType {
  switch (how.toLowerCase().replaceAll("_", "")) {
    case "inner": return Join_JoinType.INNER;
    case "cross": return Join_JoinType.CROSS;
    case "outer": case "full": case "fullouter": return Join_JoinType.FULL_OUTER;
    case "left": case "leftouter": return Join_JoinType.LEFT_OUTER;
    case "right": case "rightouter": return Join_JoinType.RIGHT_OUTER;
    case "semi": case "leftsemi": return Join_JoinType.LEFT_SEMI;
    case "anti": case "leftanti": return Join_JoinType.LEFT_ANTI;
    default:
      throw new TypeError(`[UNSUPPORTED_JOIN_TYPE] Unsupported join type '${how}'. Supported join types include: 'inner', 'outer', 'full', 'fullouter', 'full_outer', 'leftouter', 'left', 'left_outer', 'rightouter', 'right', 'right_outer', 'leftsemi', 'left_semi', 'semi', 'leftanti', 'left_anti', 'anti', 'cross'.`);
  }
}
