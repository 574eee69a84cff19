import type { DataType } from "../../types/data-types.ts";

/**
 * How a column is read: the rivulet type (Spark's dialect `getCatalystType`) and how a
 * driver's value of it becomes what rowsToBatch takes. `unsupported` names the type when
 * Spark's dialect cannot read it either (the read fails, naming the column).
 */
export type ReadColumn =
  | { readonly type: DataType; readonly convert: (v: unknown) => unknown }
  | { readonly unsupported: string };

/** Options of the read that change types (Spark's JDBC options of the same names). */
export interface ReadTypeOptions {
  /** `preferTimestampNTZ`: a timestamp without time zone is read as TIMESTAMP_NTZ. */
  readonly preferTimestampNTZ: boolean;
}

/** A value of the database that cannot become a value of its column's type (infinity dates, multi-dimensional arrays…). */
export class UnreadableValue extends Error {}

/**
 * A driver's value → what rowsToBatch takes for `type`, for values drivers already parse:
 * big integers and decimals come as text, booleans as 0/1 or "t"/"f", floats may be text.
 */
export function driverValue(type: DataType): (v: unknown) => unknown {
  switch (type.kind) {
    case "long":
      // Drivers return BIGINTs beyond ±2^53 as text (pg always): read the digits exactly.
      return (v) => (v === null || v === undefined ? null : typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === "boolean" ? Number(v) : typeof v === "bigint" ? v : Number(v));
    case "byte": case "short": case "int": case "float": case "double":
      return (v) => (v === null || v === undefined ? null : typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number(v as string));
    case "boolean":
      return (v) => (v === null || v === undefined ? null : typeof v === "boolean" ? v : typeof v === "string" ? ["1", "t", "true"].includes(v.toLowerCase()) : Number(v) !== 0);
    default:
      return (v) => (v === undefined ? null : v);
  }
}
