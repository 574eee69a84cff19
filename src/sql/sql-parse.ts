import type { CstNode, ILexingError, IRecognitionException, IToken, TokenType } from "chevrotain";
import { sqlLexer } from "../../grammar/lexer.ts";
import { sqlParser } from "../../grammar/sql-parser.ts";
import { Identifier, UnclosedComment } from "../../grammar/tokens.ts";
import { ParseError } from "../common/errors.ts";
import { editDistance } from "../common/suggest.ts";
import { checkStatements } from "./unsupported-statements.ts";

/** Entry rules of the grammar that src/sql/ parses with. */
export type EntryRule = "script" | "singleExpression" | "singleSelectItem";

/**
 * A SQL syntax error in the form Spark users know:
 * `[PARSE_SYNTAX_ERROR] Syntax error at or near 'FORM' (line 1, pos 14)`, then what was
 * expected and the statement with the position marked. `line` and `column` are 1-based;
 * `pos` in the message is 0-based, as Spark prints it.
 */
export class SqlSyntaxError extends ParseError {
  constructor(readonly near: string, line: number, column: number, detail: string, text: string, offset: number) {
    super(`[PARSE_SYNTAX_ERROR] Syntax error at or near ${near}`, line, column);
    this.message = `[PARSE_SYNTAX_ERROR] Syntax error at or near ${near} (line ${line}, pos ${column - 1})${detail}\n${pointAt(text, offset, line, column)}`;
  }
}

function pointAt(text: string, offset: number, line: number, column: number): string {
  const lines = text.split(/\r?\n/);
  const shown = lines.slice(0, line).join("\n");
  const width = Math.max(1, /^\S+/.exec(text.slice(offset))?.[0].length ?? 1);
  return `== SQL ==\n${shown}\n${"-".repeat(column - 1)}${"^".repeat(Math.min(width, 20))}\n${lines.slice(line).join("\n")}`.trimEnd();
}

/** Lexes and parses `text` from `rule`; throws SqlSyntaxError. The parser instance is shared. */
export function parseSql(text: string, rule: EntryRule): CstNode {
  const lexed = sqlLexer.tokenize(text);
  if (lexed.errors.length > 0) throw lexError(lexed.errors[0]!, text);
  const unclosed = lexed.tokens.find((t) => t.tokenType === UnclosedComment);
  if (unclosed !== undefined) {
    throw new SqlSyntaxError("'/*'", unclosed.startLine ?? 1, unclosed.startColumn ?? 1, ": the comment is not closed", text, unclosed.startOffset);
  }
  if (rule === "script") checkStatements(lexed.tokens);
  const parser = sqlParser();
  parser.input = lexed.tokens;
  const cst = parser[rule]() as CstNode;
  if (parser.errors.length > 0) throw syntaxError(parser.errors[0]!, lexed.tokens, text, rule);
  return cst;
}

function lexError(e: ILexingError, text: string): SqlSyntaxError {
  const ch = text[e.offset] ?? "";
  const what = ch === "'" || ch === '"' ? ": the string literal is not closed"
    : ch === "`" ? ": the quoted identifier is not closed"
    : text.startsWith("/*", e.offset) ? ": the comment is not closed"
    : `: unexpected character '${ch}'`;
  return new SqlSyntaxError(`'${ch}'`, e.line ?? 1, e.column ?? 1, what, text, e.offset);
}

const KEYWORD = /^'[A-Z]+'$/;

function label(t: TokenType): string {
  switch (t.name) {
    case "Identifier": case "QuotedIdentifier": case "NonReserved": return "an identifier";
    case "IntegerLiteral": case "DecimalLiteral": case "BigintLiteral": return "a number";
    case "StringLiteral": return "a string";
    case "EOF": return "end of input";
    default: return t.LABEL ?? t.name;
  }
}

/** What the grammar accepts after `prefix`, as labels. */
function expectedAfter(rule: EntryRule, prefix: IToken[]): string[] {
  try {
    const paths = sqlParser().computeContentAssist(rule, prefix);
    const labels = [...new Set(paths.map((p) => label(p.nextTokenType)))];
    // A closing parenthesis is the likeliest fix when it is allowed: show it first.
    return labels.includes("')'") ? ["')'", ...labels.filter((l) => l !== "')'")] : labels;
  } catch {
    return [];
  }
}

function syntaxError(e: IRecognitionException, all: IToken[], text: string, rule: EntryRule): SqlSyntaxError {
  const at = e.token;
  let index = all.indexOf(at);
  if (index < 0 || Number.isNaN(at.startOffset)) index = all.length;
  // A misspelled keyword first reads as an alias (`SELECT a FORM t`): blame it, not what follows.
  const prev = all[index - 1];
  if (prev !== undefined && prev.tokenType === Identifier && index >= 2 && all[index - 2]!.image.toUpperCase() !== "AS") {
    const keywords = expectedAfter(rule, all.slice(0, index - 1)).filter((k) => KEYWORD.test(k));
    const near = prev.image.length < 3 ? undefined : keywords
      .map((k) => ({ k, d: editDistance(prev.image, k.slice(1, -1)) }))
      .filter(({ d }) => d <= 2)
      .sort((a, b) => a.d - b.d)[0]?.k;
    if (near !== undefined) {
      return new SqlSyntaxError(`'${prev.image}'`, prev.startLine ?? 1, prev.startColumn ?? 1, `: did you mean ${near}?`, text, prev.startOffset);
    }
  }
  const expected = expectedAfter(rule, all.slice(0, index));
  const shown = expected.length > 12 ? [...expected.slice(0, 12), "…"] : expected;
  const detail = shown.length > 0 ? `: expected ${shown.join(", ")}` : "";
  if (index >= all.length) {
    const last = all[all.length - 1];
    const line = last?.endLine ?? 1;
    const column = (last?.endColumn ?? 0) + 1;
    return new SqlSyntaxError("end of input", line, column, detail, text, text.length);
  }
  return new SqlSyntaxError(`'${at.image}'`, at.startLine ?? 1, at.startColumn ?? 1, detail, text, at.startOffset);
}
