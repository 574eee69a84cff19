import { Column } from "./column.ts";

/**
 * PySpark's argument checks on DataFrame methods (`[NOT_COLUMN]`, `[NOT_COLUMN_OR_STR]`):
 * a value of the wrong kind fails at the call, naming the argument, instead of deep inside
 * planning. Types are named as PySpark names them (int, float, bool, str, NoneType).
 */
function pythonTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  if (typeof v === "bigint") return "int";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

export function requireColumn(arg: string, v: unknown): void {
  if (!(v instanceof Column)) throw new TypeError(`[NOT_COLUMN] Argument \`${arg}\` should be a Column, got ${pythonTypeName(v)}.`);
}

export function requireColumnOrName(arg: string, v: unknown): void {
  if (!(v instanceof Column) && typeof v !== "string") throw new TypeError(`[NOT_COLUMN_OR_STR] Argument \`${arg}\` should be a Column or str, got ${pythonTypeName(v)}.`);
}
