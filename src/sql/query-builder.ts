import { noParameters, type SqlParameters } from "./sql-parameters.ts";
import { CstVisitor } from "./cst-visitor.ts";
import type { CstNode } from "chevrotain";
import { AnalysisError } from "../common/errors.ts";
import { ConfKeys } from "../common/config.ts";
import { ColumnBatch } from "../columnar/column-batch.ts";
import { SortOrder, type Expression, type Subquery } from "../expr/expression.ts";
import { ParseErrorAt } from "./parse-error-at.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import * as build from "../plan/plan-builder.ts";
import { firstToken, has, node, nodes, tokens, type Children } from "./cst.ts";
import { ExpressionBuilder } from "./expression-builder.ts";
import { buildSelect, orderByOrdinal } from "./select-builder.ts";
import { correlatedSubqueryPlan, splitCorrelated, type SubqueryKind } from "./correlated-subquery.ts";
import { filterWithSubqueries, type SubqueryPlanner } from "./subquery-rewrite.ts";
import type { SubqueryPlan } from "../plan/plan-builder.ts";
import { limitLikeValue } from "./limit-value.ts";
import { windowSpecParts } from "./window-spec.ts";
import { cubeSets, rollupSets } from "../plan/grouping-sets.ts";
import { CteScope, type Scope } from "./from-clause/cte-scope.ts";
import { FromClauseBuilder } from "./from-clause/from-clause-builder.ts";
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

/**
 * CST of a query → logical plan, through the plan builder only (as the DataFrame API).
 * Tables resolve when the query is built, so a script sees the tables its earlier
 * statements created.
 */
export class QueryBuilder extends CstVisitor<Scope, unknown> {
  readonly exprs: ExpressionBuilder;
  readonly #fromClause: FromClauseBuilder;

  constructor(readonly text: string, readonly resolver: RelationResolver, params: SqlParameters = noParameters(text)) {
    super();
    this.exprs = new ExpressionBuilder(text, params);
    this.#fromClause = new FromClauseBuilder(this.exprs, resolver, (query, scope) => this.visit(query, scope) as LogicalPlan);
  }

  build(queryNode: CstNode): LogicalPlan {
    return this.visit(queryNode, null) as LogicalPlan;
  }

  /** Plans the subqueries of an expression parsed from this builder's text (`df.filter("k IN (SELECT …)")`) against the catalog. */
  subqueryPlanner(): SubqueryPlanner {
    return (sub, outer) => this.#subquery(sub, outer, null);
  }

  #expr(n: CstNode): Expression {
    return this.exprs.build(n);
  }

  // query := withClause? queryBody orderByClause? limitClause?
  query(ctx: Children, scope: Scope): LogicalPlan {
    let inner = scope;
    const defined: string[] = [];
    for (const named of nodes(node(ctx, "withClause")?.children ?? {}, "namedQuery")) {
      const name = this.exprs.identifierText(node(named.children, "identifier")!);
      if (defined.some((d) => d.toLowerCase() === name.toLowerCase())) {
        throw new AnalysisError(`[DUPLICATED_CTE_NAMES] CTE definition can't have duplicate names: \`${name}\`.`);
      }
      defined.push(name);
      let plan = this.visit(node(named.children, "query")!, inner) as LogicalPlan;
      const columns = node(named.children, "identifierList");
      if (columns !== undefined) plan = build.columnAliases(plan, this.identifierList(columns));
      inner = new CteScope(inner, name, build.subqueryAlias(plan, name));
    }
    const orderBy = [...nodes(node(ctx, "orderByClause")?.children ?? {}, "sortItem").map((n) => this.exprs.build(n) as SortOrder), ...this.#partitionOrder(ctx)];
    const body = node(ctx, "queryBody")!;
    const single = this.#singleSpecification(body);
    let plan: LogicalPlan;
    if (single !== undefined) {
      plan = this.#specification(single.children, inner, orderBy);
    } else {
      plan = this.visit(body, inner) as LogicalPlan;
      const ordinals = this.#conf(ConfKeys.orderByOrdinal);
      if (orderBy.length > 0) plan = build.sort(plan, orderBy.map((o) => orderByOrdinal(o, plan, ordinals)));
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

  /**
   * SORT BY, CLUSTER BY, DISTRIBUTE BY (Spark's queryOrganization): rivulet evaluates a query as one
   * partition, so SORT BY (a sort within each partition) sorts the rows, CLUSTER BY x is DISTRIBUTE
   * BY x SORT BY x, and DISTRIBUTE BY (a repartitioning) leaves the rows as they are.
   */
  #partitionOrder(ctx: Children): SortOrder[] {
    const sortBy = node(ctx, "sortByClause");
    const clusterBy = node(ctx, "clusterByClause");
    const distributeBy = node(ctx, "distributeByClause");
    const combination = (has(ctx, "orderByClause") && (sortBy ?? clusterBy ?? distributeBy) !== undefined) || (clusterBy !== undefined && (sortBy ?? distributeBy) !== undefined);
    if (combination) throw new ParseErrorAt(firstToken(sortBy ?? clusterBy ?? distributeBy!)!, "[UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES] The feature is not supported: Combination of ORDER BY/SORT BY/DISTRIBUTE BY/CLUSTER BY.");
    if (sortBy !== undefined) return nodes(sortBy.children, "sortItem").map((n) => this.exprs.build(n) as SortOrder);
    if (clusterBy !== undefined) return nodes(clusterBy.children, "expression").map((n) => SortOrder.create(this.#expr(n), true));
    return [];
  }

  /** The SELECT block when a query body is exactly one (so ORDER BY can see its input). */
  #singleSpecification(body: CstNode): CstNode | undefined {
    const intersects = nodes(body.children, "intersectTerm");
    if (intersects.length !== 1) return undefined;
    const terms = nodes(intersects[0]!.children, "queryTerm");
    if (terms.length !== 1) return undefined;
    return node(terms[0]!.children, "querySpecification");
  }

  // queryBody := intersectTerm (setOperator intersectTerm)*
  queryBody(ctx: Children, scope: Scope): LogicalPlan {
    const terms = nodes(ctx, "intersectTerm").map((t) => this.visit(t, scope) as LogicalPlan);
    const ops = nodes(ctx, "setOperator");
    return terms.reduce((left, right, i) => {
      const op = ops[i - 1]!.children;
      return setOperation(has(op, "UNION") ? "UNION" : "EXCEPT", left, right, all(op));
    });
  }

  // intersectTerm := queryTerm (INTERSECT setQuantifier? queryTerm)*
  intersectTerm(ctx: Children, scope: Scope): LogicalPlan {
    const termNodes = nodes(ctx, "queryTerm");
    const quantifiers = nodes(ctx, "setQuantifier");
    const intersects = tokens(ctx, "INTERSECT");
    return termNodes.map((t) => this.visit(t, scope) as LogicalPlan).reduce((left, right, i) => {
      // The quantifier written after this INTERSECT, before the next term.
      const from = intersects[i - 1]!.startOffset;
      const to = firstToken(termNodes[i]!)!.startOffset;
      const q = quantifiers.find((n) => { const o = firstToken(n)!.startOffset; return o > from && o < to; });
      return setOperation("INTERSECT", left, right, q !== undefined && has(q.children, "ALL"));
    });
  }

  // queryTerm := querySpecification | inlineTable | TABLE qualifiedName | '(' query ')'
  queryTerm(ctx: Children, scope: Scope): LogicalPlan {
    const spec = node(ctx, "querySpecification");
    if (spec !== undefined) return this.#specification(spec.children, scope, []);
    const values = node(ctx, "inlineTable");
    if (values !== undefined) return this.#fromClause.inlineTable(values.children);
    const table = node(ctx, "qualifiedName");
    if (table !== undefined) return this.#fromClause.table(this.exprs.nameParts(table).join("."), false, scope);
    return this.visit(node(ctx, "query")!, scope) as LogicalPlan;
  }

  /** `(a, b, c)` → its names. */
  identifierList(n: CstNode): string[] {
    return nodes(n.children, "identifier").map((i) => this.exprs.identifierText(i));
  }

  #specification(ctx: Children, scope: Scope, orderBy: readonly SortOrder[]): LogicalPlan {
    // A subquery's own SELECT sees the outer query (for correlated names); its FROM items do not.
    const outer = this.#outer;
    this.#outer = null;
    const from = node(ctx, "fromClause");
    const input = from === undefined ? oneRowRelation() : this.#fromClause.from(from.children, scope);
    const group = node(ctx, "groupByClause");
    const whereNode = node(ctx, "whereClause");
    const having = node(ctx, "havingClause");
    let where = whereNode === undefined ? null : this.#expr(node(whereNode.children, "expression")!);
    const items = this.#withNamedWindows(node(ctx, "windowClause"), () => nodes(ctx, "selectItem").map((n) => this.#expr(n)));
    const subqueries: SubqueryPlanner = (sub, outerPlan) => this.#subquery(sub, outerPlan, scope);
    if (outer !== null && where !== null) {
      const split = splitCorrelated(where, input, outer.plan);
      if (split.correlated !== null) {
        if (group !== null && group !== undefined) throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE] Unsupported subquery expression: a correlated subquery with GROUP BY");
        const filtered = split.local === null ? input : filterWithSubqueries(input, split.local, subqueries);
        this.#correlation = correlatedSubqueryPlan(outer.kind, filtered, items, split.correlated, outer.plan);
        return this.#correlation.plan;
      }
      where = split.local;
    }
    return buildSelect({
      input,
      items,
      where,
      ...(group === undefined ? { groupBy: null } : this.#groupBy(group.children)),
      having: having === undefined ? null : this.#expr(node(having.children, "expression")!),
      orderBy,
      distinct: has(ctx, "DISTINCT"),
      subqueries,
      groupByOrdinal: this.#conf(ConfKeys.groupByOrdinal),
      groupByAliases: this.#conf(ConfKeys.groupByAliases),
      orderByOrdinal: this.#conf(ConfKeys.orderByOrdinal),
    });
  }

  /** A boolean setting that is on unless set to false (groupByOrdinal, orderByOrdinal, …). */
  #conf(key: string): boolean {
    return this.resolver.conf?.(key)?.toLowerCase() !== "false";
  }

  #outer: { plan: LogicalPlan; kind: SubqueryKind } | null = null;
  #correlation: SubqueryPlan | null = null;

  /** Builds a subquery expression's query against the outer plan: see subquery-joins.ts for how it is joined. */
  #subquery(sub: Subquery, outer: LogicalPlan, scope: Scope): SubqueryPlan {
    const saved = { outer: this.#outer, correlation: this.#correlation };
    this.#outer = { plan: outer, kind: sub.subqueryKind };
    this.#correlation = null;
    try {
      const plan = this.visit(sub.query as CstNode, scope) as LogicalPlan;
      const correlated = this.#correlation as SubqueryPlan | null;
      if (correlated !== null && correlated.plan === plan) return correlated;
      if (correlated !== null) throw new AnalysisError("[UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE] Unsupported subquery expression: correlated names are supported in the WHERE of the subquery's own SELECT only");
      if (sub.subqueryKind === "in" && plan.output.length !== sub.values.length) {
        throw new AnalysisError(`[DATATYPE_MISMATCH.INVALID_IN_SUBQUERY_LENGTH] Cannot resolve "${"IN"}" due to data type mismatch: The number of columns in the left hand side of an IN subquery does not match the number of columns in the output of subquery. Left hand side columns(length: ${sub.values.length}), right hand side columns(length: ${plan.output.length}).`);
      }
      return { plan, correlation: null };
    } finally {
      this.#outer = saved.outer;
      this.#correlation = saved.correlation;
    }
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

}

/** UNION, EXCEPT (MINUS), INTERSECT: DISTINCT unless ALL is written, as in Spark. */
function setOperation(op: "UNION" | "EXCEPT" | "INTERSECT", left: LogicalPlan, right: LogicalPlan, all: boolean): LogicalPlan {
  switch (op) {
    case "UNION": {
      const combined = build.union([left, right]);
      // UNION [DISTINCT] removes duplicates, as Spark's Distinct(Union).
      return all ? combined : build.deduplicate(combined, null);
    }
    case "EXCEPT": return build.except(left, right, all);
    case "INTERSECT": return build.intersect(left, right, all);
  }
}

/** Whether a setOperator node says ALL. */
function all(op: Children): boolean {
  const q = node(op, "setQuantifier");
  return q !== undefined && has(q.children, "ALL");
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
