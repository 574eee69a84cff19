import { AnalysisError } from "../common/errors.ts";
import { nameParts, quoteIfNeeded, sameName } from "../common/identifiers.ts";
import { autoName, displayExpression } from "../expr/display.ts";
import { Alias, ColumnRef, GetField, childrenOf, withChildren, type Expression } from "../expr/expression.ts";
import { isLambda } from "../expr/lambda.ts";
import { resolveColumn } from "../expr/resolve.ts";
import type { Scope } from "../expr/scope.ts";
import { isDeterministic } from "../optimizer/determinism.ts";

/** Where a reference sits, for Spark's errors about lateral aliases it does not support. */
interface Context {
  readonly aggregate: Expression | null;
  readonly window: Expression | null;
  /** Where references to a non-deterministic alias are left as they are, the alias collected (see withNonDeterministicAliasesBelow); absent: refused. */
  readonly nonDeterministic?: Set<Alias> | undefined;
}

/**
 * Lateral column aliases (Spark 3.4+, ResolveLateralColumnAliasReference): a select item may
 * use an alias an earlier item of the same list defines, `SELECT a + 1 AS b, b * 2 AS c`, and
 * in an aggregation `SELECT sum(v) AS s, s / 2 AS h … GROUP BY k`. A column of the input with
 * that name wins over the alias. The alias's expression takes the reference's place (its value
 * is the same for a deterministic expression), so the aggregation or projection is planned as
 * if it had been written out. A non-deterministic alias's references are left in place when
 * `nonDeterministic` is given (the aliases collected there, for readFromBelow), else refused.
 */
export function inlineLateralAliases(items: readonly Expression[], scope: Scope, nonDeterministic?: Set<Alias>): Expression[] {
  const defined: Alias[] = [];
  return items.map((item) => {
    const replaced = defined.length === 0 ? item : replaceReferences(item, defined, scope, { aggregate: null, window: null, nonDeterministic });
    // The column keeps the name written: `b * 2`, not what b stands for.
    const rewritten = replaced === item || item.kind === "Alias" ? replaced : Alias.create(replaced, autoName(item));
    if (rewritten.kind === "Alias" && rewritten.names === undefined) defined.push(rewritten);
    return rewritten;
  });
}

function resolvesInInput(name: string, qualifier: string | null, scope: Scope): boolean {
  try {
    resolveColumn(name, qualifier, scope);
    return true;
  } catch (e) {
    if (e instanceof AnalysisError) return false;
    throw e;
  }
}

function replaceReferences(e: Expression, defined: readonly Alias[], scope: Scope, context: Context): Expression {
  if (e.kind === "Subquery" || isLambda(e)) return e;
  if (e.kind === "ColumnRef") {
    if (e.index >= 0 || e.planOrigin !== undefined || e.qualifier !== null || resolvesInInput(e.name, null, scope)) return e;
    const [first, ...fields] = nameParts(e.name);
    const matches = defined.filter((a) => sameName(a.name, first!));
    if (matches.length === 0) return e;
    if (matches.length > 1) {
      throw new AnalysisError(`[AMBIGUOUS_LATERAL_COLUMN_ALIAS] Lateral column alias \`${first}\` is ambiguous and has ${matches.length} matches. SQLSTATE: 42702`);
    }
    const alias = matches[0]!;
    if (context.aggregate !== null) {
      throw new AnalysisError(`[UNSUPPORTED_FEATURE.LATERAL_COLUMN_ALIAS_IN_AGGREGATE_FUNC] The feature is not supported: Referencing a lateral column alias \`${alias.name}\` in the aggregate function "${displayExpression(context.aggregate)}". SQLSTATE: 0A000`);
    }
    if (context.window !== null) {
      throw new AnalysisError(`[UNSUPPORTED_FEATURE.LATERAL_COLUMN_ALIAS_IN_WINDOW] The feature is not supported: Referencing a lateral column alias \`${alias.name}\` in window expression "${displayExpression(context.window)}". SQLSTATE: 0A000`);
    }
    // Copying rand() would give the reference another value than the alias: it is computed once, below (Spark's two Projects).
    if (!isDeterministic(alias.child)) {
      if (context.nonDeterministic === undefined) throw nonDeterministicInAggregate(alias);
      context.nonDeterministic.add(alias);
      return e;
    }
    return fields.reduce<Expression>((base, f) => GetField.create(base, f), alias.child);
  }
  const inner: Context = e.kind === "AggregateCall" ? { ...context, aggregate: context.aggregate ?? e }
    : e.kind === "WindowExpression" ? { ...context, window: context.window ?? e }
    : context;
  const kids = childrenOf(e);
  return kids.length === 0 ? e : withChildren(e, kids.map((c) => replaceReferences(c, defined, scope, inner)));
}

export function nonDeterministicInAggregate(alias: Alias): AnalysisError {
  return new AnalysisError(`rivulet does not support referencing the lateral column alias \`${alias.name}\` of the non-deterministic expression "${displayExpression(alias.child)}" in an aggregation or a window; compute it in a subquery and select from that.`);
}

/**
 * Spark's ResolveLateralColumnAliasReference for a non-deterministic alias (`SELECT rand() AS
 * r, r * 2 AS d`): the alias is computed once, in a projection below that passes the input's
 * columns through, and both the alias's own column and its references read that value. The
 * select items above: each such alias becomes a reference to the column below, by its name.
 */
export function readFromBelow(items: readonly Expression[], computedBelow: ReadonlySet<Alias>): Expression[] {
  return items.map((i) => {
    if (i.kind !== "Alias" || !computedBelow.has(i)) return i;
    const ref = ColumnRef.create(quoteIfNeeded(i.name));
    return quoteIfNeeded(i.name) === i.name ? ref : Alias.create(ref, i.name);
  });
}
