import type { CstNode } from "chevrotain";
import { sqlParser } from "../../grammar/sql-parser.ts";
import { AnalysisError } from "../common/errors.ts";
import { ConfKeys } from "../common/config.ts";
import { ColumnBatch } from "../columnar/column-batch.ts";
import type { Expression, SortOrder } from "../expr/expression.ts";
import type { JoinType, LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { has, node, nodes, token, tokens, type Children } from "./cst.ts";
import { ExpressionBuilder } from "./expression-builder.ts";
import { checkNoIntervals, unquoteString } from "./literals.ts";
import { buildSelect } from "./select-builder.ts";
import { limitLikeValue } from "./limit-value.ts";
import { windowSpecParts } from "./window-spec.ts";
import { cubeSets, rollupSets } from "../plan/grouping-sets.ts";
import { didYouMean } from "../common/suggest.ts";
import { StructType } from "../types/data-types.ts";

/** Where table names resolve: the session's catalog (views, memory tables, SQL-defined tables). */
export interface RelationResolver {
  /** The plan of table `name`; as a stream for `STREAM(name)`. Throws when unknown. */
  relation(name: string, asStream: boolean): LogicalPlan;
  /** Known names, for "did you mean" suggestions. */
  names(): string[];
  /** A session setting (spark.sql.groupByOrdinal…); unset when absent. */
  conf?(key: string): string | undefined;
}

/** CTEs visible at a point of the query (inner WITH shadows outer). */
class CteScope {
  constructor(readonly parent: CteScope | null, readonly name: string, readonly plan: LogicalPlan) {}
  lookup(name: string): LogicalPlan | null {
    for (let s: CteScope | null = this; s !== null; s = s.parent) {
      if (s.name.toLowerCase() === name.toLowerCase()) return s.plan;
    }
    return null;
  }
  names(): string[] {
    const out: string[] = [];
    for (let s: CteScope | null = this; s !== null; s = s.parent) out.push(s.name);
    return out;
  }
}

type Scope = CteScope | null;

/** A FROM item before it is combined: its plan and the name that qualifies its columns. */
interface FromItem {
  readonly plan: LogicalPlan;
  readonly name: string | null;
  readonly aliased: boolean;
}

const BaseVisitor = sqlParser.getBaseCstVisitorConstructorWithDefaults<Scope, unknown>();

const JOIN_TYPES: Record<string, JoinType> = {
  INNER: "inner", CROSS: "cross", LEFT: "left_outer", "LEFT OUTER": "left_outer", "LEFT SEMI": "left_semi", "LEFT ANTI": "left_anti",
  RIGHT: "right_outer", "RIGHT OUTER": "right_outer", FULL: "full_outer", "FULL OUTER": "full_outer", SEMI: "left_semi", ANTI: "left_anti",
};

/**
 * CST of a query → logical plan, through the plan builder only (as the DataFrame API).
 * Tables resolve when the query is built, so a script sees the tables its earlier
 * statements created.
 */
export class QueryBuilder extends BaseVisitor {
  readonly exprs: ExpressionBuilder;

  constructor(readonly text: string, readonly resolver: RelationResolver) {
    super();
    this.exprs = new ExpressionBuilder(text);
  }

  build(queryNode: CstNode): LogicalPlan {
    return this.visit(queryNode, null) as LogicalPlan;
  }

  #expr(n: CstNode): Expression {
    return this.exprs.build(n);
  }

  // query := withClause? queryBody orderByClause? limitClause?
  query(ctx: Children, scope: Scope): LogicalPlan {
    let inner = scope;
    for (const named of nodes(node(ctx, "withClause")?.children ?? {}, "namedQuery")) {
      const name = this.exprs.identifierText(node(named.children, "identifier")!);
      const plan = this.visit(node(named.children, "query")!, inner) as LogicalPlan;
      inner = new CteScope(inner, name, build.subqueryAlias(plan, name));
    }
    const orderBy = nodes(node(ctx, "orderByClause")?.children ?? {}, "sortItem").map((n) => this.exprs.build(n) as SortOrder);
    const body = node(ctx, "queryBody")!;
    const single = this.#singleSpecification(body);
    let plan: LogicalPlan;
    if (single !== undefined) {
      plan = this.#specification(single.children, inner, orderBy);
    } else {
      plan = this.visit(body, inner) as LogicalPlan;
      if (orderBy.length > 0) plan = build.sort(plan, orderBy);
    }
    const limitNode = node(ctx, "limitClause");
    const limitExpr = limitNode === undefined ? undefined : node(limitNode.children, "expression");
    const offsetNode = node(ctx, "offsetClause");
    // LIMIT ALL keeps every row, as no LIMIT.
    const limit = limitExpr === undefined ? Infinity : limitLikeValue("limit", this.#expr(limitExpr));
    const offset = offsetNode === undefined ? 0 : limitLikeValue("offset", this.#expr(node(offsetNode.children, "expression")!));
    if (limit !== Infinity || offset !== 0) plan = build.limit(plan, limit, offset);
    return plan;
  }

  /** The SELECT block when a query body is exactly one (so ORDER BY can see its input). */
  #singleSpecification(body: CstNode): CstNode | undefined {
    const terms = nodes(body.children, "queryTerm");
    if (terms.length !== 1) return undefined;
    return node(terms[0]!.children, "querySpecification");
  }

  // queryBody := queryTerm (UNION (ALL | DISTINCT)? queryTerm)*
  queryBody(ctx: Children, scope: Scope): LogicalPlan {
    const terms = nodes(ctx, "queryTerm").map((t) => this.visit(t, scope) as LogicalPlan);
    const unions = tokens(ctx, "UNION");
    const alls = tokens(ctx, "ALL");
    return terms.reduce((left, right, i) => {
      const u = unions[i - 1]!;
      const next = unions[i]?.startOffset ?? Infinity;
      const all = alls.some((a) => a.startOffset > u.startOffset && a.startOffset < next);
      const combined = build.union([left, right]);
      // UNION [DISTINCT] removes duplicates, as Spark's Distinct(Union).
      return all ? combined : build.deduplicate(combined, null);
    });
  }

  // queryTerm := querySpecification | '(' query ')'
  queryTerm(ctx: Children, scope: Scope): LogicalPlan {
    const spec = node(ctx, "querySpecification");
    if (spec !== undefined) return this.#specification(spec.children, scope, []);
    return this.visit(node(ctx, "query")!, scope) as LogicalPlan;
  }

  #specification(ctx: Children, scope: Scope, orderBy: readonly SortOrder[]): LogicalPlan {
    const from = node(ctx, "fromClause");
    const input = from === undefined ? oneRowRelation() : this.#from(from.children, scope);
    const group = node(ctx, "groupByClause");
    const where = node(ctx, "whereClause");
    const having = node(ctx, "havingClause");
    const items = this.#withNamedWindows(node(ctx, "windowClause"), () => nodes(ctx, "selectItem").map((n) => this.#expr(n)));
    return buildSelect({
      input,
      items,
      where: where === undefined ? null : this.#expr(node(where.children, "expression")!),
      ...(group === undefined ? { groupBy: null } : this.#groupBy(group.children)),
      having: having === undefined ? null : this.#expr(node(having.children, "expression")!),
      orderBy,
      distinct: has(ctx, "DISTINCT"),
      groupByOrdinal: this.resolver.conf?.(ConfKeys.groupByOrdinal)?.toLowerCase() !== "false",
      groupByAliases: this.resolver.conf?.(ConfKeys.groupByAliases)?.toLowerCase() !== "false",
    });
  }

  // groupByClause := GROUP BY (ALL | groupingItem (',' groupingItem)* (WITH (ROLLUP | CUBE))?)
  #groupBy(ctx: Children): { groupBy: Expression[]; groupingSets: number[][] | null; groupByAll: boolean } {
    if (has(ctx, "ALL")) return { groupBy: [], groupingSets: null, groupByAll: true };
    const exprs: Expression[] = [];
    const keys: string[] = [];
    const indexOf = (n: CstNode): number => {
      const e = this.#expr(n);
      const key = JSON.stringify(e);
      let i = keys.indexOf(key);
      if (i < 0) { i = keys.length; keys.push(key); exprs.push(e); }
      return i;
    };
    let analytic = false;
    const plain: number[] = [];
    const itemSets: number[][][] = [];
    for (const item of nodes(ctx, "groupingItem")) {
      const ic = item.children;
      const expression = node(ic, "expression");
      if (expression !== undefined) { plain.push(indexOf(expression)); continue; }
      analytic = true;
      const groups = nodes(ic, "groupingSet").map((s) => nodes(s.children, "expression").map(indexOf));
      itemSets.push(has(ic, "GROUPING") ? groups : groupsOf(has(ic, "ROLLUP") ? rollupSets(groups.length) : cubeSets(groups.length), groups));
    }
    if (has(ctx, "withRollup") || has(ctx, "withCube")) {
      analytic = true;
      itemSets.push(groupsOf(has(ctx, "withRollup") ? rollupSets(plain.length) : cubeSets(plain.length), plain.map((i) => [i])));
    } else {
      for (const i of plain) itemSets.unshift([[i]]);
    }
    if (!analytic) return { groupBy: exprs, groupingSets: null, groupByAll: false };
    // Several items: every combination of one set from each (Spark's cartesian product of grouping sets).
    const sets = itemSets.reduce<number[][]>((acc, options) => acc.flatMap((a) => options.map((b) => [...new Set([...a, ...b])].sort((x, y) => x - y))), [[]]);
    return { groupBy: exprs, groupingSets: sets, groupByAll: false };
  }

  /** Builds `f` with the SELECT's `WINDOW w AS (…)` definitions visible to OVER w. */
  #withNamedWindows<T>(clause: CstNode | undefined, f: () => T): T {
    if (clause === undefined) return f();
    const saved = this.exprs.namedWindows;
    const named = new Map(saved);
    for (const w of nodes(clause.children, "namedWindow")) {
      const name = this.exprs.identifierText(node(w.children, "identifier")!);
      if (named.has(name.toLowerCase()) && !saved.has(name.toLowerCase())) {
        throw new AnalysisError(`The definition of window '${name}' is repetitive.`);
      }
      named.set(name.toLowerCase(), windowSpecParts(node(w.children, "windowSpec")!, this.exprs, named));
    }
    this.exprs.namedWindows = named;
    try {
      return f();
    } finally {
      this.exprs.namedWindows = saved;
    }
  }

  // fromClause := FROM relation (',' relation)*
  #from(ctx: Children, scope: Scope): LogicalPlan {
    const relations = nodes(ctx, "relation");
    const joined = relations.length > 1 || relations.some((r) => has(r.children, "joinClause"));
    const plans = relations.map((r) => this.#relation(r.children, scope, joined));
    return plans.reduce((left, right) => build.join(left, right, null, "cross"));
  }

  // relation := relationPrimary joinClause*
  #relation(ctx: Children, scope: Scope, joined: boolean): LogicalPlan {
    let plan = this.#qualified(this.#primary(node(ctx, "relationPrimary")!.children, scope), joined);
    for (const j of nodes(ctx, "joinClause")) {
      const jc = j.children;
      const right = this.#qualified(this.#primary(node(jc, "relationPrimary")!.children, scope), true);
      const typeNode = node(jc, "joinType");
      const words = typeNode === undefined ? "INNER" : Object.values(typeNode.children).flat().map((t) => (t as { image: string }).image.toUpperCase()).join(" ");
      const joinType = JOIN_TYPES[words];
      if (joinType === undefined) throw new AnalysisError(`Unsupported join type '${words}'`);
      const criteria = node(jc, "joinCriteria");
      let on: Expression | readonly string[] | null = null;
      if (criteria !== undefined) {
        const cond = node(criteria.children, "expression");
        on = cond !== undefined
          ? checkNoIntervals(this.#expr(cond))
          : nodes(criteria.children, "identifier").map((i) => this.exprs.identifierText(i));
      }
      plan = build.join(plan, right, on, on === null && joinType === "inner" ? "cross" : joinType);
    }
    return plan;
  }

  /** Columns of a relation are qualified by its alias or table name (`t.x`), as in Spark. */
  #qualified(item: FromItem, _joined: boolean): LogicalPlan {
    if (item.aliased || item.name === null) return item.plan;
    return build.subqueryAlias(item.plan, item.name);
  }

  // relationPrimary := (streamTable | qualifiedName | '(' query ')') watermarkClause? tableAlias? watermarkClause?
  #primary(ctx: Children, scope: Scope): FromItem {
    let plan: LogicalPlan;
    let name: string | null = null;
    const stream = node(ctx, "streamTable");
    const table = stream === undefined ? node(ctx, "qualifiedName") : node(stream.children, "qualifiedName");
    if (table !== undefined) {
      const parts = this.exprs.nameParts(table);
      name = parts[parts.length - 1]!;
      plan = this.#table(parts.join("."), stream !== undefined, scope);
    } else {
      plan = this.visit(node(ctx, "query")!, scope) as LogicalPlan;
    }
    const watermarks = nodes(ctx, "watermarkClause");
    if (watermarks.length > 1) throw new AnalysisError("a table reference takes one WATERMARK clause");
    if (watermarks.length === 1) plan = this.#watermark(watermarks[0]!.children, plan);
    const alias = node(ctx, "tableAlias");
    if (alias !== undefined) {
      const aliasName = this.exprs.identifierText(alias);
      return { plan: build.subqueryAlias(plan, aliasName), name: aliasName, aliased: true };
    }
    return { plan, name, aliased: false };
  }

  #table(name: string, asStream: boolean, scope: Scope): LogicalPlan {
    const cte = name.includes(".") ? null : scope?.lookup(name) ?? null;
    if (cte !== null) {
      if (asStream && !cte.isStreaming) throw new AnalysisError(`STREAM(${name}): the common table expression ${name} does not read a stream`);
      return cte;
    }
    try {
      return this.resolver.relation(name, asStream);
    } catch (e) {
      if (e instanceof AnalysisError && e.message.startsWith("[TABLE_OR_VIEW_NOT_FOUND]") && scope !== null) {
        throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.${didYouMean(name, [...scope.names(), ...this.resolver.names()])}`);
      }
      throw e;
    }
  }

  // watermarkClause := WATERMARK qualifiedName DELAY OF (intervalLiteral | StringLiteral)
  #watermark(ctx: Children, plan: LogicalPlan): LogicalPlan {
    const column = this.exprs.nameParts(node(ctx, "qualifiedName")!);
    const interval = node(ctx, "intervalLiteral");
    const delay = interval !== undefined
      ? String((this.exprs.build(interval) as { value: unknown }).value)
      : unquoteString(token(ctx, "StringLiteral")!.image);
    return build.withWatermark(plan, column[column.length - 1]!, delay);
  }
}

/** `SELECT 1` without FROM reads one row of no columns (Spark's OneRowRelation). */
function oneRowRelation(): LogicalPlan {
  const schema = new StructType([]);
  return build.localRelation("OneRowRelation", schema, () => [new ColumnBatch(schema, [], 1)]);
}

/** ROLLUP/CUBE over groups of columns: each chosen combination of groups, as one set of columns. */
function groupsOf(combinations: readonly (readonly number[])[], groups: readonly (readonly number[])[]): number[][] {
  return combinations.map((c) => [...new Set(c.flatMap((g) => groups[g]!))]);
}
