import { Lexer } from "chevrotain";
import { allTokens } from "./tokens.ts";

/** The SQL lexer, built once per process. Positions are tracked fully for error messages. */
export const sqlLexer = new Lexer(allTokens, { positionTracking: "full", ensureOptimizations: false });
