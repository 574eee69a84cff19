import { AnalysisError } from "../../common/errors.ts";
import type { StructVec, Vec } from "../../columnar/vector.ts";
import { StructType, typeName } from "../../types/data-types.ts";
import type { Expression } from "../expression.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * Spark's UpdateFields, behind Column.withField and Column.dropFields (not a SQL function in
 * Spark): `update_fields(struct, 'name', value, …)` sets top-level fields (replacing one of the
 * same name, case-insensitively, else adding it last); `update_fields(struct, 'name', …)` with
 * the drop marker first drops them. A null struct stays null. Column.withField and dropFields
 * nest these calls for a dotted path (`a.b.c`); a name here is one field's, dots and all.
 */
export const UPDATE_FIELDS = "update_fields";
export const DROP_FIELDS = "drop_fields";

function structArg(args: readonly Expression[], fn: string): StructType {
  const t = args[0]?.dataType;
  if (t?.kind !== "struct") {
    throw new AnalysisError(`[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] Cannot resolve "${fn}" due to data type mismatch: the first parameter requires the "STRUCT" type, however it has the type "${t === null || t === undefined ? "unknown" : typeName(t).toUpperCase()}".`);
  }
  return t as StructType;
}

function literalName(e: Expression): string {
  if (e.kind !== "Literal" || typeof e.value !== "string") throw new AnalysisError("update_fields: field names must be string literals");
  return e.value;
}

/** Indices into the struct's children (or, negative, into the new values) making the result. */
function layout(type: StructType, names: readonly string[], drop: boolean): { type: StructType; picks: number[] } {
  const fields = type.fields.map((f, k) => ({ field: f, pick: k }));
  names.forEach((name, j) => {
    const at = fields.findIndex((f) => f.field.name.toLowerCase() === name.toLowerCase());
    if (drop) {
      if (at >= 0) fields.splice(at, 1);
    }
    else if (at >= 0) fields[at] = { field: { ...fields[at]!.field, name }, pick: -1 - j };
    else fields.push({ field: { name, dataType: { kind: "null" }, nullable: true }, pick: -1 - j });
  });
  if (fields.length === 0) throw new AnalysisError("[DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS] Cannot drop all fields in struct.");
  return { type: new StructType(fields.map((f) => f.field)), picks: fields.map((f) => f.pick) };
}

const withFields: ScalarFunction = {
  name: UPDATE_FIELDS,
  nullIntolerant: false,
  resolve(args) {
    const type = structArg(args, UPDATE_FIELDS);
    const names: string[] = [];
    for (let k = 1; k < args.length; k += 2) names.push(literalName(args[k]!));
    const { type: out, picks } = layout(type, names, false);
    const fields = out.fields.map((f, i) => (picks[i]! < 0 ? { ...f, dataType: args[2 + 2 * (-1 - picks[i]!)]!.dataType! } : f));
    return { args, dataType: new StructType(fields) };
  },
  evaluate(vecs, n, _ctx, call) {
    const source = vecs[0] as StructVec;
    const names: string[] = [];
    for (let k = 1; k < call.args.length; k += 2) names.push(literalName(call.args[k]!));
    const { picks } = layout(source.type as StructType, names, false);
    const children: Vec[] = picks.map((p) => (p >= 0 ? source.children[p]! : vecs[2 + 2 * (-1 - p)]!));
    return { kind: "struct", type: call.dataType as StructType, length: n, children, valid: source.valid };
  },
};

const dropFields: ScalarFunction = {
  name: DROP_FIELDS,
  nullIntolerant: false,
  resolve(args) {
    const type = structArg(args, DROP_FIELDS);
    return { args, dataType: layout(type, args.slice(1).map(literalName), true).type };
  },
  evaluate(vecs, n, _ctx, call) {
    const source = vecs[0] as StructVec;
    const { picks } = layout(source.type as StructType, call.args.slice(1).map(literalName), true);
    return { kind: "struct", type: call.dataType as StructType, length: n, children: picks.map((p) => source.children[p]!), valid: source.valid };
  },
};

export const updateFieldsFunctions: ScalarFunction[] = [withFields, dropFields];
