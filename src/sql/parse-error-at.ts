import type { IToken } from "chevrotain";
import { ParseError } from "../common/errors.ts";

/** A ParseError raised by the CST visitor at a token (its line and column). */
export class ParseErrorAt extends ParseError {
  constructor(at: IToken, message: string) {
    super(message, at.startLine ?? 1, at.startColumn ?? 1);
  }
}
