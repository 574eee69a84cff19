import { ParseError } from "../common/errors.ts";
import { Literal } from "../expr/expression.ts";
import { BinaryType } from "../types/data-types.ts";

/** X'4142' → the bytes 0x41 0x42; an odd number of digits has an implicit leading 0 (Spark's Hex.unhex). */
export function binaryLiteral(image: string, line = 1, column = 1): Literal {
  const digits = image.slice(2, -1);
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    throw new ParseError(`[INVALID_TYPED_LITERAL] The value of the typed literal "X" is invalid: '${digits}'`, line, column);
  }
  return Literal.create(new Uint8Array(Buffer.from(digits.length % 2 === 1 ? `0${digits}` : digits, "hex")), BinaryType);
}
