import { DecimalType, MAX_DECIMAL_PRECISION, type DataType } from "../types/data-types.ts";

/**
 * Spark's DecimalPrecision rules (3.5, spark.sql.decimalOperations.allowPrecisionLoss
 * true): the decimal type an integral operand counts as, the result types of + − × ÷ %
 * on decimals, and the wider decimal of two.
 */

/** The decimal an integral type is widened to (Spark's DecimalType.forType): INT → DECIMAL(10,0). */
export function decimalForType(t: DataType): DecimalType | null {
  switch (t.kind) {
    case "byte": return DecimalType(3, 0);
    case "short": return DecimalType(5, 0);
    case "int": return DecimalType(10, 0);
    case "long": return DecimalType(20, 0);
    case "decimal": return t;
    default: return null;
  }
}

/** DecimalType.bounded: precision and scale capped at 38. */
export function boundedDecimal(precision: number, scale: number): DecimalType {
  return DecimalType(Math.min(precision, MAX_DECIMAL_PRECISION), Math.min(scale, MAX_DECIMAL_PRECISION));
}

/**
 * DecimalType.adjustPrecisionScale: a result wider than 38 digits keeps its integral digits
 * and gives up scale, but keeps at least min(scale, 6) digits after the point.
 */
export function adjustPrecisionScale(precision: number, scale: number): DecimalType {
  if (precision <= MAX_DECIMAL_PRECISION) return DecimalType(precision, scale);
  const intDigits = precision - scale;
  const minScale = Math.min(scale, 6);
  const adjustedScale = Math.max(MAX_DECIMAL_PRECISION - intDigits, minScale);
  return DecimalType(MAX_DECIMAL_PRECISION, adjustedScale);
}

/** The wider of two decimals: enough integral digits for either and the larger scale (capped at 38). */
export function widerDecimal(a: DecimalType, b: DecimalType): DecimalType {
  const scale = Math.max(a.scale, b.scale);
  const range = Math.max(a.precision - a.scale, b.precision - b.scale);
  return boundedDecimal(range + scale, scale);
}

export type DecimalOp = "add" | "subtract" | "multiply" | "divide" | "mod";

/** The result type of `a op b` on two decimals. */
export function decimalResultType(op: DecimalOp, a: DecimalType, b: DecimalType, allowPrecisionLoss = true): DecimalType {
  const { precision: p1, scale: s1 } = a;
  const { precision: p2, scale: s2 } = b;
  const adjust = allowPrecisionLoss ? adjustPrecisionScale : boundedDecimal;
  switch (op) {
    case "add": case "subtract": {
      const scale = Math.max(s1, s2);
      return adjust(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case "multiply": return adjust(p1 + p2 + 1, s1 + s2);
    case "divide": {
      if (allowPrecisionLoss) {
        const intDigits = p1 - s1 + s2;
        const scale = Math.max(6, s1 + p2 + 1);
        return adjustPrecisionScale(intDigits + scale, scale);
      }
      let intDigits = Math.min(MAX_DECIMAL_PRECISION, p1 - s1 + s2);
      let decDigits = Math.min(MAX_DECIMAL_PRECISION, Math.max(6, s1 + p2 + 1));
      const diff = intDigits + decDigits - MAX_DECIMAL_PRECISION;
      if (diff > 0) {
        decDigits -= Math.floor(diff / 2) + 1;
        intDigits = MAX_DECIMAL_PRECISION - decDigits;
      }
      return boundedDecimal(intDigits + decDigits, decDigits);
    }
    case "mod": {
      const scale = Math.max(s1, s2);
      return adjust(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

/** Spark's sum of DECIMAL(p, s): DECIMAL(p + 10, s). */
export function decimalSumType(t: DecimalType): DecimalType {
  return boundedDecimal(t.precision + 10, t.scale);
}

/** Spark's avg of DECIMAL(p, s): DECIMAL(p + 4, s + 4). */
export function decimalAvgType(t: DecimalType): DecimalType {
  return boundedDecimal(t.precision + 4, t.scale + 4);
}
