import type { CstNode } from "chevrotain";
import { AnalysisError } from "../../common/errors.ts";
import { ConfKeys } from "../../common/config.ts";
import { didYouMean } from "../../common/suggest.ts";
import { Call, type Expression } from "../../expr/expression.ts";
import type { JoinType, LogicalPlan } from "../../plan/logical-plan.ts";
import * as build from "../../plan/plan-builder.ts";
import { pivot } from "../../plan/pivot.ts";
import { has, node, nodes, token, type Children } from "../cst.ts";
import type { ExpressionBuilder } from "../expression-builder.ts";
import { intervalDurationText, unquoteString } from "../literals.ts";
import { pivotSpec } from "../pivot-clause.ts";
import type { RelationResolver } from "../query-builder.ts";
import { tableSample } from "../table-sample.ts";
import type { Scope } from "./cte-scope.ts";
import { identifierNames } from "./identifier-names.ts";
import { identifierClause, tableFunction } from "./table-function.ts";
import { unpivotClause } from "./unpivot-clause.ts";
import { lateralJoin, lateralPrimary, lateralQuery, lateralSubquery } from "./lateral-subquery.ts";

/** A FROM item before it is combined: its plan and the name that qualifies its columns. */
interface FromItem {
  readonly plan: LogicalPlan;
  readonly name: string | null;
  readonly aliased: boolean;
}

const JOIN_TYPES: Record<string, JoinType> = {
  INNER: "inner", CROSS: "cross", LEFT: "left_outer", "LEFT OUTER": "left_outer", "LEFT SEMI": "left_semi", "LEFT ANTI": "left_anti",
  RIGHT: "right_outer", "RIGHT OUTER": "right_outer", FULL: "full_outer", "FULL OUTER": "full_outer", SEMI: "left_semi", ANTI: "left_anti",
};

/**
 * FROM → plan: relations and joins, tables and CTEs, inline tables, table functions,
 * watermarks, samples, LATERAL VIEW, PIVOT and UNPIVOT. A subquery in FROM is planned by
 * the query builder (`visitQuery`).
 */
export class FromClauseBuilder {
  constructor(
    readonly exprs: ExpressionBuilder,
    readonly resolver: RelationResolver,
    readonly visitQuery: (query: CstNode, scope: Scope) => LogicalPlan,
  ) {}

  #expr(n: CstNode): Expression {
    return this.exprs.build(n);
  }

  // inlineTable := VALUES inlineRow (',' inlineRow)* tableAlias?
  inlineTable(ctx: Children): LogicalPlan {
    const rows = nodes(ctx, "inlineRow").map((r) => nodes(r.children, "expression").map((e) => this.#expr(e)));
    const alias = node(ctx, "tableAlias");
    const columns = alias === undefined ? undefined : node(alias.children, "identifierList");
    const zone = this.resolver.conf?.(ConfKeys.sessionTimeZone) ?? "UTC";
    return build.inlineTable(rows, alias === undefined ? null : this.exprs.identifierText(alias), columns === undefined ? null : identifierNames(this.exprs, columns), zone);
  }

  // fromClause := FROM relation (',' relation)* lateralView*
  from(ctx: Children, scope: Scope): LogicalPlan {
    const relations = nodes(ctx, "relation");
    const joined = relations.length > 1 || relations.some((r) => has(r.children, "joinClause"));
    // A LATERAL subquery sees the relations before it: planned over them rather than joined.
    const from = relations.reduce<LogicalPlan | null>((left, r) => {
      const lateral = left === null ? undefined : lateralPrimary(r);
      if (left !== null && lateral !== undefined) return lateralSubquery(left, lateral, this.exprs);
      const plan = this.#relation(r.children, scope, joined);
      return left === null ? plan : build.join(left, plan, null, "cross");
    }, null)!;
    const views = nodes(ctx, "lateralView");
    const pivotNode = node(ctx, "pivotClause");
    if (pivotNode !== undefined) {
      if (views.length > 0) throw new AnalysisError("[NOT_ALLOWED_IN_FROM.LATERAL_WITH_PIVOT] Not allowed in the FROM clause: LATERAL together with PIVOT.");
      return this.#unpivot(ctx, pivot(from, pivotSpec(pivotNode.children, this.exprs)));
    }
    return this.#unpivot(ctx, views.reduce((plan, view) => this.#lateralView(view.children, plan), from));
  }

  #unpivot(ctx: Children, plan: LogicalPlan): LogicalPlan {
    const clause = node(ctx, "unpivotClause");
    return clause === undefined ? plan : unpivotClause(clause.children, plan, this.exprs);
  }

  // lateralView := LATERAL VIEW OUTER? qualifiedName '(' expression* ')' identifier (AS? identifier (',' identifier)*)?
  #lateralView(ctx: Children, input: LogicalPlan): LogicalPlan {
    const name = this.exprs.nameParts(node(ctx, "qualifiedName")!).join(".");
    const args = nodes(ctx, "expression").map((n) => this.#expr(n));
    const [table, ...columns] = nodes(ctx, "identifier").map((i) => this.exprs.identifierText(i));
    return build.generate(input, Call.create(name, args), { outer: has(ctx, "OUTER"), qualifier: table!, names: columns.length > 0 ? columns : null });
  }

  // relation := relationPrimary joinClause*
  #relation(ctx: Children, scope: Scope, joined: boolean): LogicalPlan {
    let plan = this.#qualified(this.#primary(node(ctx, "relationPrimary")!.children, scope), joined);
    for (const j of nodes(ctx, "joinClause")) {
      const jc = j.children;
      const lateral = lateralQuery(node(jc, "relationPrimary")!);
      if (lateral !== undefined) {
        plan = this.#lateralJoin(plan, lateral, jc);
        continue;
      }
      const right = this.#qualified(this.#primary(node(jc, "relationPrimary")!.children, scope), true);
      const words = this.#joinWords(jc);
      const joinType = JOIN_TYPES[words];
      if (joinType === undefined) throw new AnalysisError(`Unsupported join type '${words}'`);
      const criteria = node(jc, "joinCriteria");
      let on: Expression | readonly string[] | null = null;
      if (has(jc, "NATURAL")) {
        if (criteria !== undefined) throw new AnalysisError("[PARSE_SYNTAX_ERROR] a NATURAL join takes no ON or USING clause");
        if (joinType === "cross") throw new AnalysisError("[INCOMPATIBLE_JOIN_TYPES] The join types NATURAL and CROSS are incompatible.");
        on = build.naturalJoinColumns(plan, right);
      } else if (criteria !== undefined) {
        const cond = node(criteria.children, "expression");
        on = cond !== undefined
          ? this.#expr(cond)
          : nodes(criteria.children, "identifier").map((i) => this.exprs.identifierText(i));
      }
      plan = build.join(plan, right, on, on === null && joinType === "inner" ? "cross" : joinType);
    }
    return plan;
  }

  /** `JOIN LATERAL (…)`: the join types and criteria Spark allows with a LATERAL subquery. */
  #lateralJoin(left: LogicalPlan, query: CstNode, jc: Children): LogicalPlan {
    const words = this.#joinWords(jc);
    const joinType = JOIN_TYPES[words];
    if (has(jc, "NATURAL")) throw new AnalysisError("[UNSUPPORTED_FEATURE.LATERAL_NATURAL_JOIN] The feature is not supported: NATURAL join with LATERAL correlation.");
    if (joinType !== "inner" && joinType !== "cross" && joinType !== "left_outer") {
      const sqlName = { right_outer: "RIGHT OUTER", full_outer: "FULL OUTER", left_semi: "LEFT SEMI", left_anti: "LEFT ANTI" }[joinType as string] ?? words;
      throw new AnalysisError(`[INVALID_LATERAL_JOIN_TYPE] The ${sqlName} JOIN with LATERAL correlation is not allowed because an OUTER subquery cannot correlate to its join partner. Remove the LATERAL correlation or use an INNER JOIN, or LEFT OUTER JOIN instead.`);
    }
    const criteria = node(jc, "joinCriteria");
    const cond = criteria === undefined ? undefined : node(criteria.children, "expression");
    if (criteria !== undefined && cond === undefined) throw new AnalysisError("[UNSUPPORTED_FEATURE.LATERAL_JOIN_USING] The feature is not supported: JOIN USING with LATERAL correlation.");
    return lateralJoin(left, query, this.exprs, joinType === "left_outer" ? "left_outer" : "inner", cond === undefined ? null : () => this.#expr(cond));
  }

  /** The words of a join's type, upper case (`LEFT OUTER`); INNER when none is written. */
  #joinWords(jc: Children): string {
    const typeNode = node(jc, "joinType");
    return typeNode === undefined ? "INNER" : Object.values(typeNode.children).flat().map((t) => (t as { image: string }).image.toUpperCase()).join(" ");
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
    const values = node(ctx, "inlineTable");
    const fn = node(ctx, "tableFunction");
    if (values !== undefined) {
      // `VALUES … AS t(a, b)`: the alias (and column names) belong to the inline table.
      const inline = this.inlineTable(values.children);
      const aliased = has(values.children, "tableAlias");
      return { plan: inline, name: aliased ? inline.output[0]?.qualifier ?? null : null, aliased };
    } else if (fn !== undefined) {
      const clause = identifierClause(fn.children, this.exprs);
      if (clause !== null) {
        // FROM IDENTIFIER('t'): the table (or CTE) the string names.
        name = clause[clause.length - 1]!;
        plan = this.table(clause.join("."), false, scope);
      } else {
        plan = tableFunction(fn.children, this.exprs);
      }
    } else if (table !== undefined) {
      const parts = this.exprs.nameParts(table);
      name = parts[parts.length - 1]!;
      plan = this.table(parts.join("."), stream !== undefined, scope);
    } else {
      plan = this.visitQuery(node(ctx, "query")!, scope);
    }
    const watermarks = nodes(ctx, "watermarkClause");
    if (watermarks.length > 1) throw new AnalysisError("a table reference takes one WATERMARK clause");
    if (watermarks.length === 1) plan = this.#watermark(watermarks[0]!.children, plan);
    const sampleNode = node(ctx, "sampleClause");
    if (sampleNode !== undefined) plan = tableSample(sampleNode.children, plan, (n) => this.#expr(n));
    const alias = node(ctx, "tableAlias");
    if (alias !== undefined) {
      const aliasName = this.exprs.identifierText(alias);
      const columns = node(alias.children, "identifierList");
      if (columns !== undefined) plan = build.columnAliases(plan, identifierNames(this.exprs, columns));
      return { plan: build.subqueryAlias(plan, aliasName), name: aliasName, aliased: true };
    }
    return { plan, name, aliased: false };
  }

  table(name: string, asStream: boolean, scope: Scope): LogicalPlan {
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
      ? intervalDurationText(this.exprs.build(interval))!
      : unquoteString(token(ctx, "StringLiteral")!.image);
    return build.withWatermark(plan, column[column.length - 1]!, delay);
  }
}
