import type { SourceComparison, SourceLiteral, SourcePredicate } from "../connectors/source.ts";
import type { Expression } from "../expr/expression.ts";
import { lookupFunction } from "../expr/functions/registry.ts";
import { inputsOf, withInputs, type Filter, type LogicalPlan, type Scan } from "../plan/logical-plan.ts";
import { sameType } from "../types/data-types.ts";
import { splitConjuncts } from "./conjuncts.ts";
import { isDeterministic } from "./determinism.ts";
import type { OptimizerRule } from "./optimizer-rule.ts";

/**
 * Hands a Filter's simple conjuncts to the Scan right below it (Spark's
 * V2ScanRelationPushDown / FileSourceStrategy pushed filters), so that a source can drop
 * rows before it builds them — the JSON reader tests them per line. Only conjuncts of one
 * column against literals translate: comparisons, IS [NOT] NULL, IN, LIKE 'abc%' and
 * startswith. The Filter stays, so a source may apply any subset of them.
 *
 * Runs after push_down_filter (which brings filters down onto scans) and before
 * column_pruning (which keeps each predicate's column readable, as the Filter above still
 * reads it). Every Scan ends up with exactly the predicates of the Filter directly above
 * it — none when there is none — so a predicate never outlives the Filter that enforces it.
 */
export const PushFilterIntoScan: OptimizerRule = {
  name: "push_filter_into_scan",
  rewrite(plan: LogicalPlan): LogicalPlan {
    return visit(plan);
  },
};

function visit(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === "Scan") return withPushed(plan, []);
  if (plan.kind === "Filter" && plan.input.kind === "Scan") {
    const scan = withPushed(plan.input, sourcePredicatesOf(plan, plan.input));
    return scan === plan.input ? plan : Object.freeze({ ...plan, input: scan });
  }
  const inputs = inputsOf(plan);
  return inputs.length === 0 ? plan : withInputs(plan, inputs.map(visit));
}

/** The scan with `filters`, or the same scan when it has those already. */
function withPushed(scan: Scan, filters: readonly SourcePredicate[]): Scan {
  if (JSON.stringify(scan.pushedFilters) === JSON.stringify(filters)) return scan;
  return Object.freeze({ ...scan, pushedFilters: filters });
}

/** The deterministic conjuncts of `filter` that translate, each once, in order. */
export function sourcePredicatesOf(filter: Filter, scan: Scan): SourcePredicate[] {
  const seen = new Set<string>();
  const out: SourcePredicate[] = [];
  for (const c of splitConjuncts(filter.condition)) {
    if (!isDeterministic(c)) continue;
    const p = toSourcePredicate(c, scan);
    if (p === null) continue;
    const key = JSON.stringify(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

const COMPARISONS: Record<string, SourceComparison> = {
  equalto: "=", notequalto: "!=", lessthan: "<", lessthanorequal: "<=", greaterthan: ">", greaterthanorequal: ">=",
  // `x <=> v` with a non-null v keeps the same rows as `x = v`.
  eqnullsafe: "=",
};
const FLIPPED: Record<SourceComparison, SourceComparison> = { "=": "=", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<=" };
const COMPARABLE = new Set(["string", "int", "long", "double", "boolean", "timestamp", "date"]);

/** A conjunct as a source predicate, or null when it has another shape. */
export function toSourcePredicate(e: Expression, scan: Scan): SourcePredicate | null {
  if (e.kind !== "Call") return null;
  const name = lookupFunction(e.name)?.name ?? e.name;
  const [a, b] = e.args;
  if (a === undefined) return null;
  const op = COMPARISONS[name];
  if (op !== undefined && b !== undefined && e.args.length === 2) {
    const column = columnOf(a, scan) ?? columnOf(b, scan);
    const literal = column === null ? null : literalOf(a.kind === "ColumnRef" ? b : a, column.type);
    if (column === null || literal === null) return null;
    return { kind: "compare", column: column.name, op: a.kind === "ColumnRef" ? op : FLIPPED[op], value: literal };
  }
  const column = columnOf(a, scan);
  if (column === null) return null;
  switch (name) {
    case "isnull": return { kind: "isNull", column: column.name };
    case "isnotnull": return { kind: "isNotNull", column: column.name };
    case "in": {
      // A null item never makes the test true: for a filter it is as good as absent.
      const items = e.args.slice(1).filter((x) => !(x.kind === "Literal" && x.value === null));
      const values = items.map((x) => literalOf(x, column.type));
      if (values.length === 0 || values.some((v) => v === null)) return null;
      return { kind: "in", column: column.name, values: values as SourceLiteral[] };
    }
    case "startswith": {
      const prefix = b === undefined || column.type !== "string" ? null : literalOf(b, "string");
      return typeof prefix === "string" ? { kind: "startsWith", column: column.name, prefix } : null;
    }
    case "like": {
      const pattern = b === undefined || column.type !== "string" ? null : literalOf(b, "string");
      const parsed = typeof pattern === "string" ? prefixPattern(pattern) : null;
      if (parsed === null) return null;
      return parsed.exact
        ? { kind: "compare", column: column.name, op: "=", value: parsed.text }
        : { kind: "startsWith", column: column.name, prefix: parsed.text };
    }
    default: return null;
  }
}

/** A bare reference to a scan column of a comparable type: its source name and type kind. */
function columnOf(e: Expression, scan: Scan): { name: string; type: string } | null {
  if (e.kind !== "ColumnRef" || e.index < 0 || e.index >= scan.columns.length) return null;
  const field = scan.source.schema.fields[scan.columns[e.index]!];
  if (field === undefined || !sameType(field.dataType, scan.output[e.index]!.dataType)) return null;
  return { name: field.name, type: field.dataType.kind };
}

/** A non-null literal of the column's (comparable) type, JSON-representable. */
function literalOf(e: Expression, type: string): SourceLiteral | null {
  if (e.kind !== "Literal" || e.dataType === null || e.dataType.kind !== type || !COMPARABLE.has(type)) return null;
  const v = e.value;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  return typeof v === "string" || typeof v === "boolean" ? v : null;
}

/** `abc%` → prefix "abc"; `abc` → exact "abc"; null for any other LIKE pattern. `\` escapes the next character. */
function prefixPattern(pattern: string): { text: string; exact: boolean } | null {
  let text = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\" && i + 1 < pattern.length) text += pattern[++i]!;
    else if (c === "_") return null;
    else if (c === "%") return i === pattern.length - 1 ? { text, exact: false } : null;
    else text += c;
  }
  return { text, exact: true };
}
