import { CstParser, type CstNode, type ParserMethod } from "chevrotain";
import * as T from "../tokens.ts";

/** A rule of the grammar: called with no arguments, it parses and returns its CST node. */
export type Rule = ParserMethod<[], CstNode>;

/**
 * The root of rivulet's SQL grammar. The grammar is one chevrotain parser built in layers, one
 * class per area, each extending the one below (chevrotain's grammar inheritance): names and
 * types, literals, expressions, function calls, windows, relations, queries, and statements at
 * the top (grammar/sql-parser.ts), whose constructor analyses the whole grammar once every
 * layer's rules exist. A layer refers to a rule of a higher layer through an abstract member.
 */
export abstract class SqlParserBase extends CstParser {
  /**
   * `validate`: check the grammar itself (ambiguities, duplicate DSL indices, left recursion).
   * That check is half of the parser's construction time and its answer never changes between
   * runs, so the parser every import builds skips it and test/sql/grammar-validation.test.ts
   * builds one with it: a grammar change that breaks it fails CI, not a user's import.
   */
  constructor(validate: boolean) {
    // LL(3) is enough for this grammar (the validation proves it: an ambiguity within three
    // tokens fails it). Each extra token of lookahead multiplies the paths the analysis walks
    // through the keyword categories: at 4 it took ~4 s and ~250 MB on every import of rivulet.
    super(T.allTokens, { maxLookahead: 3, recoveryEnabled: false, nodeLocationTracking: "onlyOffset", skipValidations: !validate });
  }
}
