import { longOfBigInt } from "../columnar/long-values.ts";
import { Decimal } from "../columnar/decimal.ts";
import { rescale } from "../columnar/decimal-values.ts";
import { toInternal } from "../columnar/values.ts";
import { AnalysisError } from "../common/errors.ts";
import {
  ArrayType, BinaryType, BooleanType, DecimalType, DoubleType, MAX_DECIMAL_PRECISION, IntegerType, LongType, NullType, StringType,
  TimestampType, typeName, type DataType,
} from "../types/data-types.ts";
import { widerType } from "./coercion.ts";

/** The type `lit(value)` gets for a JS value, as Spark's Literal.apply does for JVM values. */
export function literalTypeOf(value: unknown): DataType {
  if (value === null || value === undefined) return NullType;
  if (typeof value === "boolean") return BooleanType;
  if (typeof value === "string") return StringType;
  if (typeof value === "bigint") return LongType;
  if (typeof value === "number") {
    if (Number.isInteger(value)) return value >= -2147483648 && value <= 2147483647 ? IntegerType : LongType;
    return DoubleType;
  }
  if (value instanceof Date) return TimestampType;
  // A Decimal is DECIMAL of its own precision and scale, as Spark's Literal(BigDecimal).
  if (value instanceof Decimal) return DecimalType(Math.min(value.precision, MAX_DECIMAL_PRECISION), value.scale);
  if (value instanceof Uint8Array) return BinaryType;
  if (Array.isArray(value)) return ArrayType(commonElementType(value));
  throw new AnalysisError(`unsupported literal ${String(value)}: use a string, number, bigint, boolean, Date, Uint8Array or array`);
}

/** The elements' common type (`lit([1, 2.5])` is ARRAY<DOUBLE>, `lit([])` ARRAY<VOID>), as array()'s. */
function commonElementType(values: readonly unknown[]): DataType {
  let type: DataType = NullType;
  for (const v of values) {
    const wider = widerType(type, literalTypeOf(v));
    if (wider === null) throw new AnalysisError(`unsupported literal array: its elements have incompatible types ${typeName(type)} and ${typeName(literalTypeOf(v))}`);
    type = wider;
  }
  return type;
}

/** JS value → internal literal value of `type`. */
export function literalValue(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Decimal) return type.kind === "decimal" ? rescale(value.unscaled, value.scale, type.scale) : value.toNumber();
  if (type.kind === "decimal") return toInternal(value, type, "lit");
  if (value instanceof Date) return type.kind === "date" ? Math.floor(value.getTime() / 86_400_000) : value.getTime() * 1000;
  if (typeof value === "bigint") {
    if (type.kind !== "long") return Number(value);
    if (BigInt.asIntN(64, value) !== value) throw new AnalysisError(`literal ${value} is outside the range of BIGINT (-9223372036854775808 to 9223372036854775807)`);
    return longOfBigInt(value);
  }
  if (type.kind === "long" && typeof value === "number" && !Number.isSafeInteger(value) && Number.isInteger(value)) return longOfBigInt(BigInt(value));
  return value;
}
