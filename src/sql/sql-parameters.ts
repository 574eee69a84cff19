import type { IToken } from "chevrotain";
import { sqlLexer } from "../../grammar/lexer.ts";
import { QuestionMark } from "../../grammar/tokens.ts";
import { AnalysisError } from "../common/errors.ts";
import type { Expression } from "../expr/expression.ts";

/**
 * The arguments of a parameterized query (`spark.sql(text, args)`, Spark 3.4+): values for
 * the named markers `:name` (args an object or a Map) or for the positional markers `?` in
 * the order they are written (args an array), already turned into expressions (literals,
 * or `array()`/`map()`/`struct()` columns) at the API edge. A marker replaces a value,
 * never a name, so arguments cannot change the query's shape (no SQL injection).
 */
export class SqlParameters {
  #positions: Map<number, number> | null = null;

  constructor(
    readonly text: string,
    readonly named: ReadonlyMap<string, Expression> | null,
    readonly positional: readonly Expression[] | null,
  ) {}

  /** The value of `:name`; marker is the ':' token (for the position in errors). */
  namedValue(name: string, marker: IToken): Expression {
    if (this.positional !== null) throw mixed();
    const value = this.named?.get(name);
    if (value === undefined) throw unbound(name, marker);
    return value;
  }

  /** The value of the `?` at `marker`: the argument at its rank among the text's `?` markers. */
  positionalValue(marker: IToken): Expression {
    if (this.named !== null) throw mixed();
    const rank = this.#rankOf(marker.startOffset);
    const value = this.positional?.[rank];
    if (value === undefined) throw unbound(`_${marker.startOffset}`, marker);
    return value;
  }

  /** Ranks of the `?` markers by their offset in the text: the builder visits them in no particular order. */
  #rankOf(offset: number): number {
    if (this.#positions === null) {
      this.#positions = new Map();
      for (const t of sqlLexer.tokenize(this.text).tokens) {
        if (t.tokenType === QuestionMark) this.#positions.set(t.startOffset, this.#positions.size);
      }
    }
    return this.#positions.get(offset) ?? -1;
  }
}

/** A query without arguments: each marker is unbound. */
export function noParameters(text: string): SqlParameters {
  return new SqlParameters(text, null, null);
}

function unbound(name: string, marker: IToken): AnalysisError {
  return new AnalysisError(
    `[UNBOUND_SQL_PARAMETER] Found the unbound parameter: ${name}. Please, fix \`args\` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as \`map()\`, \`array()\`, \`struct()\`. (line ${marker.startLine ?? 1}, pos ${(marker.startColumn ?? 1) - 1})`,
  );
}

function mixed(): AnalysisError {
  return new AnalysisError("[INVALID_QUERY_MIXED_QUERY_PARAMETERS] Parameterized query must either use positional, or named parameters, but not both.");
}
