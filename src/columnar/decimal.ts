import { decimalShape, decimalToDouble, formatDecimal, rescale } from "./decimal-values.ts";

/**
 * What `collect()` returns for a DECIMAL value (Spark's java.math.BigDecimal, PySpark's
 * decimal.Decimal): exact, immutable, printed as Spark prints it (`String(d)` is "1.00"
 * for a DECIMAL(5,2) one). `toNumber()` gives the nearest double; `unscaled`/`scale` the
 * exact value (`unscaled × 10^−scale`). `JSON.stringify` writes the text, so no digit is
 * lost. Pass a Decimal (or its text) back in as a DECIMAL value: `lit(new Decimal("1.5"))`.
 */
export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;

  constructor(value: string | bigint | number, scale?: number) {
    if (typeof value === "bigint") {
      this.unscaled = value;
      this.scale = scale ?? 0;
      return;
    }
    const text = typeof value === "number" ? String(value) : value;
    const shape = Number.isFinite(Number(text)) || typeof value === "string" ? decimalShape(text) : null;
    if (shape === null) throw new RangeError(`not a decimal number: ${text}`);
    this.scale = scale ?? shape.scale;
    this.unscaled = rescale(shape.unscaled, shape.scale, this.scale);
  }

  /** The number of digits of the unscaled value (at least the scale, as Spark's precision). */
  get precision(): number {
    const abs = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return Math.max(abs === 0n ? 1 : abs.toString().length, this.scale);
  }

  /** Equal values at any scale: 1.0 equals 1.00 (unlike `===` of two objects). */
  equals(other: Decimal | string | number): boolean {
    const o = other instanceof Decimal ? other : new Decimal(other);
    const scale = Math.max(this.scale, o.scale);
    return rescale(this.unscaled, this.scale, scale) === rescale(o.unscaled, o.scale, scale);
  }

  toNumber(): number {
    return decimalToDouble(this.unscaled, this.scale);
  }

  toString(): string {
    return formatDecimal(this.unscaled, this.scale);
  }

  toJSON(): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Decimal(${this.toString()})`;
  }
}
