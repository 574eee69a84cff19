import { LiteralRules } from "./literal-rules.ts";
import type { Rule } from "./parser-base.ts";
import * as T from "../tokens.ts";

/**
 * Expressions by Spark's precedence, lowest first: OR < AND < NOT (or `!`) < predicates (comparison, IS,
 * IN, BETWEEN, LIKE) < `|` < `^` < `&` < `+ - ||` < `* / % DIV` < unary `- + ~` < field access; CASE, CAST,
 * subqueries.
 */
export abstract class ExpressionRules extends LiteralRules {
  abstract functionCall: Rule;
  abstract query: Rule;

  // expression := booleanAnd (OR booleanAnd)*
  expression = this.RULE("expression", () => {
    this.SUBRULE(this.booleanAnd);
    this.MANY(() => {
      this.CONSUME(T.Or);
      this.SUBRULE2(this.booleanAnd);
    });
  });

  // booleanAnd := booleanNot (AND booleanNot)*
  booleanAnd = this.RULE("booleanAnd", () => {
    this.SUBRULE(this.booleanNot);
    this.MANY(() => {
      this.CONSUME(T.And);
      this.SUBRULE2(this.booleanNot);
    });
  });

  // booleanNot := NOT booleanNot | predicated
  booleanNot = this.RULE("booleanNot", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Not); this.SUBRULE(this.booleanNot); } },
      { ALT: () => this.SUBRULE(this.predicated) },
    ]);
  });

  // predicated := comparison predicate?
  // (`a IN b` without a parenthesis is no predicate: it is position(a IN b)'s, see functionArguments)
  predicated = this.RULE("predicated", () => {
    this.SUBRULE(this.comparison);
    this.OPTION({
      GATE: () => this.LA(1).tokenType !== T.In || this.LA(2).tokenType === T.LParen,
      DEF: () => this.SUBRULE(this.predicate),
    });
  });

  // predicate := NOT? ( BETWEEN bitwiseOr AND bitwiseOr | IN subquery | IN '(' expression (',' expression)* ')'
  //                   | LIKE bitwiseOr | RLIKE bitwiseOr )
  //            | IS NOT? (NULL | TRUE | FALSE)
  predicate = this.RULE("predicate", () => {
    this.OR([
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Not));
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(T.Between);
                this.SUBRULE(this.bitwiseOr);
                this.CONSUME(T.And);
                this.SUBRULE2(this.bitwiseOr);
              },
            },
            {
              ALT: () => {
                this.CONSUME(T.In);
                this.OR4([
                  { GATE: () => this.#startsSubquery(), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.subquery) },
                  {
                    ALT: () => {
                      this.CONSUME(T.LParen);
                      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
                      this.CONSUME(T.RParen);
                    },
                  },
                ]);
              },
            },
            { ALT: () => this.SUBRULE(this.likePredicate) },
            { ALT: () => { this.OR5([{ ALT: () => this.CONSUME(T.RLike) }, { ALT: () => this.CONSUME(T.Regexp) }]); this.SUBRULE4(this.bitwiseOr); } },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Is);
          this.OPTION2(() => this.CONSUME2(T.Not));
          this.OR3([
            { ALT: () => this.CONSUME(T.Null) },
            { ALT: () => this.CONSUME(T.True) },
            { ALT: () => this.CONSUME(T.False) },
            { ALT: () => this.CONSUME(T.Unknown) },
            { ALT: () => { this.CONSUME(T.Distinct); this.CONSUME(T.From); this.SUBRULE5(this.bitwiseOr); } },
          ]);
        },
      },
    ]);
  });

  // likePredicate := (LIKE | ILIKE) ( (ANY | SOME | ALL) '(' expression (',' expression)* ')' | bitwiseOr (ESCAPE string)? )
  likePredicate = this.RULE("likePredicate", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Like) }, { ALT: () => this.CONSUME(T.ILike) }]);
    this.OR2([
      {
        // `LIKE ANY (…)` is the quantified form, never a call of the aggregate any().
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.OR3([{ ALT: () => this.CONSUME(T.Any) }, { ALT: () => this.CONSUME(T.Some) }, { ALT: () => this.CONSUME(T.All) }]);
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
          this.CONSUME(T.RParen);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.bitwiseOr);
          // ESCAPE is a plain name elsewhere (no keyword): `x LIKE 'a!%' ESCAPE '!'`.
          this.OPTION({
            GATE: () => this.LA(1).image.toUpperCase() === "ESCAPE" && this.LA(2).tokenType === T.StringLiteral,
            DEF: () => {
              this.CONSUME(T.Identifier);
              this.CONSUME(T.StringLiteral);
            },
          });
        },
      },
    ]);
  });

  // comparison := bitwiseOr (comparisonOperator bitwiseOr)*
  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.bitwiseOr);
    this.MANY(() => {
      this.SUBRULE(this.comparisonOperator);
      this.SUBRULE2(this.bitwiseOr);
    });
  });

  // comparisonOperator := '=' | '<>' | '<' | '<=' | '>' | '>=' | '<=>'
  comparisonOperator = this.RULE("comparisonOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Eq) },
      { ALT: () => this.CONSUME(T.NotEq) },
      { ALT: () => this.CONSUME(T.Lt) },
      { ALT: () => this.CONSUME(T.LtEq) },
      { ALT: () => this.CONSUME(T.Gt) },
      { ALT: () => this.CONSUME(T.GtEq) },
      { ALT: () => this.CONSUME(T.NullSafeEq) },
    ]);
  });

  // bitwiseOr := bitwiseXor ('|' bitwiseXor)*   (Spark: | binds looser than ^, ^ than &, & than + -)
  bitwiseOr = this.RULE("bitwiseOr", () => {
    this.SUBRULE(this.bitwiseXor);
    this.MANY(() => {
      this.CONSUME(T.Pipe);
      this.SUBRULE2(this.bitwiseXor);
    });
  });

  // bitwiseXor := bitwiseAnd ('^' bitwiseAnd)*
  bitwiseXor = this.RULE("bitwiseXor", () => {
    this.SUBRULE(this.bitwiseAnd);
    this.MANY(() => {
      this.CONSUME(T.Hat);
      this.SUBRULE2(this.bitwiseAnd);
    });
  });

  // bitwiseAnd := additive ('&' additive)*
  bitwiseAnd = this.RULE("bitwiseAnd", () => {
    this.SUBRULE(this.additive);
    this.MANY(() => {
      this.CONSUME(T.Ampersand);
      this.SUBRULE2(this.additive);
    });
  });

  // additive := multiplicative (('+' | '-' | '||') multiplicative)*
  additive = this.RULE("additive", () => {
    this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus) },
        { ALT: () => this.CONSUME(T.Minus) },
        { ALT: () => this.CONSUME(T.Concat) },
      ]);
      this.SUBRULE2(this.multiplicative);
    });
  });

  // multiplicative := unary (('*' | '/' | '%' | DIV) unary)*
  multiplicative = this.RULE("multiplicative", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        { ALT: () => this.CONSUME(T.Slash) },
        { ALT: () => this.CONSUME(T.Percent) },
        { ALT: () => this.CONSUME(T.Div) },
      ]);
      this.SUBRULE2(this.unary);
    });
  });

  // unary := ('-' | '+' | '~') unary | postfix
  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Plus) }, { ALT: () => this.CONSUME(T.Tilde) }]);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  // postfix := primary postfixOperator*
  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.postfixOperator));
  });

  // postfixOperator := '.' nameOrKeyword | '[' expression ']'   (a field; an element, a map value or a field by name)
  postfixOperator = this.RULE("postfixOperator", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Dot); this.SUBRULE(this.nameOrKeyword); } },
      { ALT: () => { this.CONSUME(T.LBracket); this.SUBRULE(this.expression); this.CONSUME(T.RBracket); } },
    ]);
  });

  // primary := caseExpression | castExpression | intervalLiteral | typedLiteral | literal
  //          | existsExpression | subquery | functionCall | columnReference | parameterMarker | '(' expression (',' expression)* ')'
  primary = this.RULE("primary", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.parameterMarker) },
      { GATE: () => this.LA(1).tokenType === T.Exists && this.#startsSubquery(2), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.existsExpression) },
      { GATE: () => this.#startsSubquery(), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.subquery) },
      { ALT: () => this.SUBRULE(this.caseExpression) },
      { ALT: () => this.SUBRULE(this.castExpression) },
      { ALT: () => this.SUBRULE(this.intervalLiteral) },
      { ALT: () => this.SUBRULE(this.typedLiteral) },
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.functionCall) },
      { ALT: () => this.SUBRULE(this.columnReference) },
      {
        // `(a, b)` is a row (Spark's rowConstructor, a struct): `(a, b) IN ((1, 'x'), …)`.
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.MANY(() => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.expression);
          });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // existsExpression := EXISTS subquery
  // parameterMarker := ':' nameOrKeyword | '?'   (spark.sql(text, args): a named or a positional argument)
  parameterMarker = this.RULE("parameterMarker", () => {
    this.OR([
      { ALT: () => { this.CONSUME(T.Colon); this.SUBRULE(this.nameOrKeyword); } },
      { ALT: () => this.CONSUME(T.QuestionMark) },
    ]);
  });

  existsExpression = this.RULE("existsExpression", () => {
    this.CONSUME(T.Exists);
    this.SUBRULE(this.subquery);
  });

  // subquery := '(' query ')'          (only where the query starts with SELECT, WITH or VALUES)
  subquery = this.RULE("subquery", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  /** Whether the tokens from `at` are `(` SELECT | WITH | VALUES: a subquery, not a parenthesised expression. */
  #startsSubquery(at = 1): boolean {
    if (this.LA(at).tokenType !== T.LParen) return false;
    const next = this.LA(at + 1).tokenType;
    return next === T.Select || next === T.With || next === T.Values;
  }

  // caseExpression := CASE expression? (WHEN expression THEN expression)+ (ELSE expression)? END
  caseExpression = this.RULE("caseExpression", () => {
    this.CONSUME(T.Case);
    this.OPTION(() => this.SUBRULE(this.expression, { LABEL: "operand" }));
    this.AT_LEAST_ONE(() => {
      this.CONSUME(T.When);
      this.SUBRULE2(this.expression, { LABEL: "condition" });
      this.CONSUME(T.Then);
      this.SUBRULE3(this.expression, { LABEL: "value" });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Else);
      this.SUBRULE4(this.expression, { LABEL: "otherwise" });
    });
    this.CONSUME(T.End);
  });

  // castExpression := (CAST | TRY_CAST) '(' expression AS dataType ')'
  castExpression = this.RULE("castExpression", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Cast) }, { ALT: () => this.CONSUME(T.TryCast) }]);
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(T.As);
    this.SUBRULE(this.dataType);
    this.CONSUME(T.RParen);
  });
}
