import { ExpressionRules } from "./expression-rules.ts";
import type { Rule } from "./parser-base.ts";
import { EOF } from "chevrotain";
import * as T from "../tokens.ts";

/**
 * Function calls with Spark's call forms (`substring(s FROM a FOR b)`, `trim(BOTH c FROM s)`,
 * `f(DISTINCT …)`, `IGNORE NULLS`, `OVER (…)`).
 */
export abstract class FunctionCallRules extends ExpressionRules {
  abstract windowSpec: Rule;
  abstract sortItem: Rule;

  // functionCall := (identifier | GROUPING | LEFT | RIGHT | REGEXP | LIKE | ILIKE | RLIKE) '(' ((DISTINCT | ALL)? functionArguments)? ')' withinGroup? aggregateFilter? nullsOption? (OVER windowSpec)?
  //   (functionArguments takes the FROM/FOR/IN call forms: extract(HOUR FROM ts), substring(s FROM 2 FOR 3);
  //   grouping(…) is a function too, though GROUPING is a keyword: GROUPING SETS)
  override functionCall = this.RULE("functionCall", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(T.Grouping) },
      { ALT: () => this.CONSUME(T.Left) },
      { ALT: () => this.CONSUME(T.Right) },
      { ALT: () => this.CONSUME(T.Regexp) },
      { ALT: () => this.CONSUME(T.Like) },
      { ALT: () => this.CONSUME(T.ILike) },
      { ALT: () => this.CONSUME(T.RLike) },
    ]);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OPTION2(() => this.OR2([{ ALT: () => this.CONSUME(T.Distinct) }, { ALT: () => this.CONSUME(T.All) }]));
      this.SUBRULE(this.functionArguments);
    });
    this.CONSUME(T.RParen);
    this.OPTION6({
      // WITHIN is a plain name elsewhere: percentile_cont(0.5) WITHIN GROUP (ORDER BY x).
      GATE: () => this.LA(1).image.toUpperCase() === "WITHIN" && this.LA(2).tokenType === T.Group,
      DEF: () => this.SUBRULE(this.withinGroup),
    });
    this.OPTION5({
      // FILTER is a plain name (a column or `filter(array, x -> …)`) everywhere else.
      GATE: () => this.LA(1).image.toUpperCase() === "FILTER" && this.LA(2).tokenType === T.LParen && this.LA(3).tokenType === T.Where,
      DEF: () => this.SUBRULE(this.aggregateFilter),
    });
    this.OPTION3(() => this.SUBRULE(this.nullsOption));
    this.OPTION4(() => {
      this.CONSUME(T.Over);
      this.SUBRULE(this.windowSpec);
    });
  });

  // withinGroup := WITHIN GROUP '(' ORDER BY sortItem ')'
  withinGroup = this.RULE("withinGroup", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Group);
    this.CONSUME(T.LParen);
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.SUBRULE(this.sortItem);
    this.CONSUME(T.RParen);
  });

  // aggregateFilter := FILTER '(' WHERE expression ')'   (count(*) FILTER (WHERE x > 0))
  aggregateFilter = this.RULE("aggregateFilter", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LParen);
    this.CONSUME(T.Where);
    this.SUBRULE(this.expression);
    this.CONSUME(T.RParen);
  });

  // nullsOption := (IGNORE | RESPECT) NULLS
  nullsOption = this.RULE("nullsOption", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Ignore) }, { ALT: () => this.CONSUME(T.Respect) }]);
    this.CONSUME(T.Nulls);
  });

  // functionArguments := '*' | identifier '.' '*'
  //                    | (BOTH | LEADING | TRAILING) expression? FROM expression         (trim)
  //                    | functionArgument ( (',' functionArgument)*
  //                                       | FROM expression (FOR expression)?          (substring, trim)
  //                                       | FOR expression                              (substring)
  //                                       | IN expression )                             (position)
  functionArguments = this.RULE("functionArguments", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Star) },
      {
        ALT: () => {
          this.SUBRULE(this.identifier);
          this.CONSUME(T.Dot);
          this.CONSUME2(T.Star);
        },
      },
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Both) }, { ALT: () => this.CONSUME(T.Leading) }, { ALT: () => this.CONSUME(T.Trailing) }]);
          // `trim(BOTH FROM s)`: FROM here is the keyword, not a column named `from`.
          this.OPTION({ GATE: () => this.LA(1).tokenType !== T.From, DEF: () => this.SUBRULE(this.expression, { LABEL: "trimChars" }) });
          this.CONSUME2(T.From);
          this.SUBRULE2(this.expression, { LABEL: "source" });
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.functionArgument);
          this.OR3([
            { ALT: () => { this.CONSUME3(T.From); this.SUBRULE4(this.expression, { LABEL: "from" }); this.OPTION2(() => { this.CONSUME(T.For); this.SUBRULE5(this.expression, { LABEL: "for" }); }); } },
            { ALT: () => { this.CONSUME2(T.For); this.SUBRULE6(this.expression, { LABEL: "for" }); } },
            { ALT: () => { this.CONSUME(T.In); this.SUBRULE7(this.expression, { LABEL: "in" }); } },
            // overlay(s PLACING r FROM pos [FOR len])
            {
              ALT: () => {
                this.CONSUME(T.Placing);
                this.SUBRULE8(this.expression, { LABEL: "placing" });
                this.CONSUME4(T.From);
                this.SUBRULE9(this.expression, { LABEL: "from" });
                this.OPTION3(() => { this.CONSUME3(T.For); this.subrule(10, this.expression, { LABEL: "for" }); });
              },
            },
            { ALT: () => this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.functionArgument); }) },
          ]);
        },
      },
    ]);
  });

  // functionArgument := lambda | expression (AS nameOrKeyword)?          (struct(x AS n))
  functionArgument = this.RULE("functionArgument", () => {
    this.OR([
      { GATE: () => this.#atLambda(), ALT: () => this.SUBRULE(this.lambda) },
      {
        ALT: () => {
          this.SUBRULE(this.expression);
          this.OPTION(() => { this.CONSUME(T.As); this.SUBRULE(this.nameOrKeyword); });
        },
      },
    ]);
  });

  // lambda := (nameOrKeyword | '(' nameOrKeyword (',' nameOrKeyword)* ')') '->' expression      (transform(a, x -> x + 1))
  //   (a keyword may name a parameter, as Spark's `(left, right) -> …`)
  lambda = this.RULE("lambda", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.nameOrKeyword) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.nameOrKeyword) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
    this.CONSUME(T.Arrow);
    this.SUBRULE(this.expression);
  });

  /** Whether the next tokens are a lambda's parameters and its arrow: `x ->` or `(a, b) ->`. */
  #atLambda(): boolean {
    if (this.LA(2).tokenType === T.Arrow) return true;
    if (this.LA(1).tokenType !== T.LParen) return false;
    let k = 2;
    while (this.LA(k).tokenType !== T.RParen && this.LA(k).tokenType !== EOF && k < 64) k++;
    return this.LA(k).tokenType === T.RParen && this.LA(k + 1).tokenType === T.Arrow;
  }
}
