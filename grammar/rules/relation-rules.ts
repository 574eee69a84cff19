import { WindowRules } from "./window-rules.ts";
import type { TokenType } from "chevrotain";
import * as T from "../tokens.ts";

/** FROM: relations, joins, inline tables, table functions, `STREAM(t)` and watermarks. */
export abstract class RelationRules extends WindowRules {
  // fromClause := FROM relation (',' relation)* lateralView* pivotClause? unpivotClause?
  fromClause = this.RULE("fromClause", () => {
    this.CONSUME(T.From);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.relation) });
    this.MANY(() => this.SUBRULE(this.lateralView));
    this.OPTION({ GATE: () => this.#wordNext("PIVOT", T.LParen), DEF: () => this.SUBRULE(this.pivotClause) });
    this.OPTION2({ GATE: () => this.#unpivotNext(), DEF: () => this.SUBRULE(this.unpivotClause) });
  });

  /** UNPIVOT, then `(` or INCLUDE/EXCLUDE NULLS: the clause (UNPIVOT is a word, not a keyword, as in Spark). */
  #unpivotNext(): boolean {
    if (this.#wordNext("UNPIVOT", T.LParen)) return true;
    const t = this.LA(1);
    const after = this.LA(2);
    return t.tokenType === T.Identifier && t.image.toUpperCase() === "UNPIVOT" && after.tokenType === T.Identifier && ["INCLUDE", "EXCLUDE"].includes(after.image.toUpperCase());
  }

  // unpivotClause := UNPIVOT ((INCLUDE | EXCLUDE) NULLS)? '(' unpivotValues FOR identifier IN '(' unpivotColumnSet (',' unpivotColumnSet)* ')' ')' (AS? identifier)?
  //   unpivotValues := identifier | '(' identifier (',' identifier)* ')'
  unpivotClause = this.RULE("unpivotClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "unpivotWord" });
    this.OPTION(() => {
      this.CONSUME2(T.Identifier, { LABEL: "nullsWord" });
      this.CONSUME(T.Nulls);
    });
    this.CONSUME(T.LParen);
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier, { LABEL: "valueColumn" }) },
      { ALT: () => this.SUBRULE(this.identifierList, { LABEL: "valueColumns" }) },
    ]);
    this.CONSUME(T.For);
    this.SUBRULE2(this.identifier, { LABEL: "nameColumn" });
    this.CONSUME(T.In);
    this.CONSUME2(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.unpivotColumnSet) });
    this.CONSUME2(T.RParen);
    this.CONSUME(T.RParen);
    this.OPTION2(() => {
      this.OPTION3(() => this.CONSUME(T.As));
      this.SUBRULE3(this.identifier, { LABEL: "alias" });
    });
  });

  // unpivotColumnSet := (qualifiedName | '(' qualifiedName (',' qualifiedName)* ')') (AS? identifier)?
  unpivotColumnSet = this.RULE("unpivotColumnSet", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.qualifiedName) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(T.As));
      this.SUBRULE(this.identifier);
    });
  });

  // pivotClause := PIVOT '(' selectItem (',' selectItem)* FOR (identifier | '(' identifier (',' identifier)* ')')
  //                IN '(' pivotValue (',' pivotValue)* ')' ')'            (PIVOT is a word, not a keyword, as in Spark)
  pivotClause = this.RULE("pivotClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "pivotWord" });
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.pivotAggregate) });
    this.CONSUME(T.For);
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier, { LABEL: "pivotColumn" }) },
      { ALT: () => this.SUBRULE(this.identifierList, { LABEL: "pivotColumns" }) },
    ]);
    this.CONSUME(T.In);
    this.CONSUME2(T.LParen);
    this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.pivotValue) });
    this.CONSUME2(T.RParen);
    this.CONSUME(T.RParen);
  });

  // pivotAggregate := expression (AS? identifier)?
  pivotAggregate = this.RULE("pivotAggregate", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(T.As));
      this.SUBRULE(this.identifier);
    });
  });

  // pivotValue := ('(' expression (',' expression)+ ')' | expression) (AS? identifier)?    (a tuple for several pivot columns)
  pivotValue = this.RULE("pivotValue", () => {
    this.OR([
      {
        GATE: () => this.#tupleNext(),
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression, { LABEL: "tupleItem" }) });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
    ]);
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(T.As));
      this.SUBRULE(this.identifier);
    });
  });

  /** `(` a, b `)`: a comma inside the parenthesis that opens here, at its own depth. */
  #tupleNext(): boolean {
    if (this.LA(1).tokenType !== T.LParen) return false;
    let depth = 0;
    for (let k = 1; ; k++) {
      const t = this.LA(k).tokenType;
      if (t === T.LParen) depth++;
      else if (t === T.RParen) { if (--depth === 0) return false; }
      else if (t === T.Comma && depth === 1) return true;
      else if (t.name === "EOF") return false;
    }
  }

  /** A word that is no keyword here (PIVOT, SORT, TABLESAMPLE…) starting a clause: `word` then `next`. */
  protected wordNext(word: string, next: TokenType): boolean {
    return this.#wordNext(word, next);
  }

  #wordNext(word: string, next: TokenType): boolean {
    const t = this.LA(1);
    return t.tokenType === T.Identifier && t.image.toUpperCase() === word && this.LA(2).tokenType === next;
  }

  // lateralView := LATERAL VIEW OUTER? qualifiedName '(' (expression (',' expression)*)? ')'
  //                identifier (AS? identifier (',' identifier)*)?       (table name, then column names)
  lateralView = this.RULE("lateralView", () => {
    this.CONSUME(T.Lateral);
    this.CONSUME(T.View);
    this.OPTION(() => this.CONSUME(T.Outer));
    this.SUBRULE(this.qualifiedName);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RParen);
    this.SUBRULE(this.identifier);
    // The next LATERAL VIEW, not a column named LATERAL.
    this.OPTION2({
      GATE: () => !this.#lateralViewNext(),
      DEF: () => {
        this.OPTION3(() => this.CONSUME(T.As));
        this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.identifier) });
      },
    });
  });

  #lateralViewNext(): boolean {
    return this.LA(1).tokenType === T.Lateral && this.LA(2).tokenType === T.View;
  }

  // relation := relationPrimary joinClause*
  relation = this.RULE("relation", () => {
    this.SUBRULE(this.relationPrimary);
    this.MANY(() => this.SUBRULE(this.joinClause));
  });

  // joinClause := NATURAL? joinType? JOIN relationPrimary joinCriteria?
  joinClause = this.RULE("joinClause", () => {
    this.OPTION3(() => this.CONSUME(T.Natural));
    this.OPTION(() => this.SUBRULE(this.joinType));
    this.CONSUME(T.Join);
    this.SUBRULE(this.relationPrimary);
    this.OPTION2(() => this.SUBRULE(this.joinCriteria));
  });

  // joinType := INNER | CROSS | LEFT (OUTER | SEMI | ANTI)? | RIGHT OUTER? | FULL OUTER? | SEMI | ANTI
  joinType = this.RULE("joinType", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Inner) },
      { ALT: () => this.CONSUME(T.Cross) },
      {
        ALT: () => {
          this.CONSUME(T.Left);
          this.OPTION(() => this.OR2([
            { ALT: () => this.CONSUME(T.Outer) },
            { ALT: () => this.CONSUME(T.Semi) },
            { ALT: () => this.CONSUME(T.Anti) },
          ]));
        },
      },
      { ALT: () => { this.CONSUME(T.Right); this.OPTION2(() => this.CONSUME2(T.Outer)); } },
      { ALT: () => { this.CONSUME(T.Full); this.OPTION3(() => this.CONSUME3(T.Outer)); } },
      { ALT: () => this.CONSUME2(T.Semi) },
      { ALT: () => this.CONSUME2(T.Anti) },
    ]);
  });

  // joinCriteria := ON expression | USING '(' identifier (',' identifier)* ')'
  joinCriteria = this.RULE("joinCriteria", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.On); this.SUBRULE(this.expression); } },
      {
        ALT: () => {
          this.CONSUME(T.Using);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.identifier) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // relationPrimary := (streamTable | inlineTable | tableFunction | qualifiedName | LATERAL? '(' query ')')
  //                    watermarkClause? tableAlias? watermarkClause?
  relationPrimary = this.RULE("relationPrimary", () => {
    this.OR([
      {
        // LATERAL (SELECT …): a subquery that sees the columns of the relations before it (not a function named lateral).
        GATE: () => this.LA(1).tokenType === T.Lateral && this.LA(2).tokenType === T.LParen,
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME(T.Lateral);
          this.CONSUME3(T.LParen);
          this.SUBRULE2(this.query);
          this.CONSUME3(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.streamTable) },
      { ALT: () => this.SUBRULE(this.inlineTable) },
      { ALT: () => this.SUBRULE(this.tableFunction) },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.OPTION(() => this.SUBRULE(this.watermarkClause));
    this.OPTION4({ GATE: () => this.#wordNext("TABLESAMPLE", T.LParen), DEF: () => this.SUBRULE(this.sampleClause) });
    // `FROM t WINDOW w AS (…)` and `FROM t OFFSET 2`: the clause, not an alias named WINDOW or OFFSET.
    this.OPTION2({ GATE: () => !this.#clauseAfterRelation(), DEF: () => this.SUBRULE(this.tableAlias) });
    this.OPTION3(() => this.SUBRULE2(this.watermarkClause));
  });

  // sampleClause := TABLESAMPLE '(' ( '-'? (IntegerLiteral | DecimalLiteral) PERCENT
  //                                 | BUCKET IntegerLiteral OUT OF IntegerLiteral (ON (qualifiedName ('(' ')')?))?
  //                                 | expression ROWS? )? ')' (REPEATABLE '(' IntegerLiteral ')')?
  //                 (PERCENT, BUCKET, OUT and REPEATABLE are words here, not keywords)
  sampleClause = this.RULE("sampleClause", () => {
    this.CONSUME(T.Identifier, { LABEL: "tablesampleWord" });
    this.CONSUME(T.LParen);
    this.OPTION(() => this.OR([
      {
        GATE: () => {
          const at = this.LA(1).tokenType === T.Minus ? 2 : 1;
          return [T.IntegerLiteral, T.DecimalLiteral].includes(this.LA(at).tokenType) && this.LA(at + 1).image.toUpperCase() === "PERCENT";
        },
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.OPTION2(() => this.CONSUME(T.Minus));
          this.OR2([{ ALT: () => this.CONSUME(T.IntegerLiteral, { LABEL: "percentage" }) }, { ALT: () => this.CONSUME(T.DecimalLiteral, { LABEL: "percentage" }) }]);
          this.CONSUME2(T.Identifier, { LABEL: "percentWord" });
        },
      },
      {
        GATE: () => this.LA(1).image.toUpperCase() === "BUCKET" && this.LA(2).tokenType === T.IntegerLiteral,
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME3(T.Identifier, { LABEL: "bucketWord" });
          this.CONSUME2(T.IntegerLiteral, { LABEL: "numerator" });
          this.CONSUME4(T.Identifier, { LABEL: "outWord" });
          this.CONSUME(T.Of);
          this.CONSUME3(T.IntegerLiteral, { LABEL: "denominator" });
          this.OPTION3(() => {
            this.CONSUME(T.On, { LABEL: "bucketOn" });
            this.SUBRULE(this.qualifiedName);
            this.OPTION4(() => { this.CONSUME2(T.LParen, { LABEL: "onFunction" }); this.CONSUME2(T.RParen); });
          });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION5(() => this.CONSUME(T.Rows));
        },
      },
    ]));
    this.CONSUME(T.RParen);
    this.OPTION6({
      GATE: () => this.LA(1).image.toUpperCase() === "REPEATABLE",
      DEF: () => {
        this.CONSUME5(T.Identifier, { LABEL: "repeatableWord" });
        this.CONSUME3(T.LParen);
        this.CONSUME4(T.IntegerLiteral, { LABEL: "seed" });
        this.CONSUME3(T.RParen);
      },
    });
  });

  // inlineTable := VALUES inlineRow (',' inlineRow)* tableAlias?
  inlineTable = this.RULE("inlineTable", () => {
    this.CONSUME(T.Values);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.inlineRow) });
    this.OPTION(() => this.SUBRULE(this.tableAlias));
  });

  // inlineRow := '(' expression (',' expression)* ')' | expression     (a parenthesised list is a row)
  inlineRow = this.RULE("inlineRow", () => {
    this.OR([
      {
        // `(1 + 2) * 3` reads as the row `(1 + 2)` followed by a syntax error, as in Spark.
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.expression) },
    ]);
  });

  // tableFunction := (identifier | RANGE) '(' (expression (',' expression)*)? ')'      (range(…))
  tableFunction = this.RULE("tableFunction", () => {
    // RANGE is a (soft) keyword of window frames, and range(…) the table function.
    this.OR([{ ALT: () => this.SUBRULE(this.identifier) }, { ALT: () => this.CONSUME(T.Range) }]);
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RParen);
  });

  /** WINDOW w AS …, OFFSET <value> or LATERAL VIEW right after a relation: the clause, though these words can be names. */
  #clauseAfterRelation(): boolean {
    if (this.#lateralViewNext()) return true;
    if (this.#wordNext("PIVOT", T.LParen) || this.#wordNext("TABLESAMPLE", T.LParen) || this.#unpivotNext()) return true;
    if (["SORT", "DISTRIBUTE", "CLUSTER"].some((w) => this.#wordNext(w, T.By))) return true;
    const next = this.LA(1).tokenType;
    if (next === T.WindowKw) return this.LA(3).tokenType === T.As;
    if (next !== T.Offset) return false;
    const after = this.LA(2).tokenType;
    return [T.IntegerLiteral, T.BigintLiteral, T.DecimalLiteral, T.StringLiteral, T.LParen, T.Minus, T.Plus, T.Identifier, T.Cast, T.Null].includes(after);
  }

  // streamTable := STREAM ('(' qualifiedName ')' | qualifiedName)
  streamTable = this.RULE("streamTable", () => {
    this.CONSUME(T.Stream);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.qualifiedName);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE2(this.qualifiedName) },
    ]);
  });

  // watermarkClause := WATERMARK qualifiedName DELAY OF (intervalLiteral | StringLiteral)
  watermarkClause = this.RULE("watermarkClause", () => {
    this.CONSUME(T.Watermark);
    this.SUBRULE(this.qualifiedName);
    this.CONSUME(T.Delay);
    this.CONSUME(T.Of);
    this.OR([
      { ALT: () => this.SUBRULE(this.intervalLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
  });

  // tableAlias := (AS (Identifier | QuotedIdentifier | TableAliasKeyword) | identifier) identifierList?
  tableAlias = this.RULE("tableAlias", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.As);
          this.OR2([
            { ALT: () => this.CONSUME(T.Identifier) },
            { ALT: () => this.CONSUME(T.QuotedIdentifier) },
            { ALT: () => this.CONSUME(T.TableAliasKeyword) },
          ]);
        },
      },
      { ALT: () => this.SUBRULE(this.identifier) },
    ]);
    this.OPTION(() => this.SUBRULE(this.identifierList));
  });
}
