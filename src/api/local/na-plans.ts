import { AnalysisError } from "../../common/errors.ts";
import { Call } from "../../expr/expression.ts";
import { sameName } from "../../common/identifiers.ts";
import { typeName, type DataType, type StructField, type StructType } from "../../types/data-types.ts";
import { Column } from "../column.ts";
import { lit, when } from "../functions.ts";
import type { DataFrame } from "../dataset.ts";
import type { FillValue, NaDrop, NaFill, NaReplace } from "../na-functions.ts";

const NUMERIC = new Set(["byte", "short", "int", "long", "float", "double", "decimal"]);

/** What counts as missing: null, and NaN in a floating-point column (Spark's na functions). */
function missing(c: Column, type: DataType): Column {
  return type.kind === "float" || type.kind === "double" ? c.isNull().or(new Column(Call.create("isnan", [c.expr]))) : c.isNull();
}

function fieldNamed(schema: StructType, name: string, what: string): StructField {
  const f = schema.fields.find((x) => x.name === name) ?? schema.fields.find((x) => sameName(x.name, name));
  if (f === undefined) throw new AnalysisError(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] ${what}: cannot resolve column \`${name}\` among (${schema.fields.map((x) => x.name).join(", ")})`);
  return f;
}

/** Whether a single fill value applies to a column of this type (numbers to numeric columns, and so on). */
function fits(value: FillValue, type: DataType): boolean {
  if (typeof value === "number" || typeof value === "bigint") return NUMERIC.has(type.kind);
  if (typeof value === "string") return type.kind === "string";
  return type.kind === "boolean";
}

/** The select list of `na.fill`: each filled column as `CASE WHEN missing THEN value ELSE column END` under its own name. */
export function naFillColumns(schema: StructType, column: (name: string) => Column, fill: NaFill): Column[] {
  const targets = new Map<string, FillValue>();
  if (fill.kind === "byColumn") {
    for (const [name, value] of fill.values) targets.set(fieldNamed(schema, name, "na.fill").name, value);
  } else {
    const fields = fill.subset === null ? schema.fields : fill.subset.map((n) => fieldNamed(schema, n, "na.fill"));
    for (const f of fields) if (fits(fill.value, f.dataType)) targets.set(f.name, fill.value);
  }
  return schema.fields.map((f) => {
    const value = targets.get(f.name);
    const c = column(f.name);
    if (value === undefined) return c;
    return when(missing(c, f.dataType), lit(value).cast(typeName(f.dataType))).otherwise(c).as(f.name);
  });
}

/** The condition `na.drop` keeps rows by: at least `minNonNulls` present values among the columns (all of them for "any"). */
export function naDropCondition(schema: StructType, column: (name: string) => Column, drop: NaDrop): Column | null {
  const fields = drop.subset === null ? schema.fields : drop.subset.map((n) => fieldNamed(schema, n, "na.drop"));
  const needed = drop.minNonNulls ?? fields.length;
  if (needed <= 0) return null;
  if (fields.length === 0) return lit(false);
  const present = fields.map((f) => when(missing(column(f.name), f.dataType), 0).otherwise(1));
  return present.reduce((sum, p) => sum.plus(p)).geq(needed);
}

export function naFillPlan(df: DataFrame, fill: NaFill): DataFrame {
  return df.select(...naFillColumns(df.schema, (name) => df.col(name), fill));
}

export function naDropPlan(df: DataFrame, drop: NaDrop): DataFrame {
  const keep = naDropCondition(df.schema, (name) => df.col(name), drop);
  return keep === null ? df : df.filter(keep);
}

/** Whether `na.replace` with keys of this kind touches a column of this type: numbers numeric columns (compared as doubles), and so on. */
function replaces(key: FillValue, type: DataType): boolean {
  return typeof key === "number" || typeof key === "bigint" ? NUMERIC.has(type.kind) : fits(key, type);
}

/** `na.replace` as Spark's replace0: each targeted column becomes `CASE c WHEN key THEN CAST(value AS type) … ELSE c END`. */
export function naReplacePlan(df: DataFrame, replace: NaReplace): DataFrame {
  if (replace.replacements.length === 0) return df;
  const schema = df.schema;
  const named = replace.cols.length === 0 ? schema.fields : replace.cols.map((n) => fieldNamed(schema, n, "na.replace"));
  const first = replace.replacements[0]![0];
  const targets = new Set(named.filter((f) => replaces(first, f.dataType)).map((f) => f.name));
  return df.select(...schema.fields.map((f) => {
    const c = df.col(f.name);
    if (!targets.has(f.name)) return c;
    const asKey = (k: FillValue) => lit(typeof k === "bigint" ? Number(k) : k);
    const [k0, v0] = replace.replacements[0]!;
    let chain = when(c.equalTo(asKey(k0)), lit(v0).cast(typeName(f.dataType)));
    for (const [k, v] of replace.replacements.slice(1)) chain = chain.when(c.equalTo(asKey(k)), lit(v).cast(typeName(f.dataType)));
    return chain.otherwise(c).as(f.name);
  }));
}
