import { FunctionCallRules } from "./function-call-rules.ts";
import type { Rule } from "./parser-base.ts";
import * as T from "../tokens.ts";

/** Window specifications: `OVER (PARTITION BY … ORDER BY … frame)` and named `WINDOW w AS (…)`. */
export abstract class WindowRules extends FunctionCallRules {
  abstract override sortItem: Rule;

  // windowClause := WINDOW namedWindow (',' namedWindow)*
  windowClause = this.RULE("windowClause", () => {
    this.CONSUME(T.WindowKw);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.namedWindow) });
  });

  // namedWindow := identifier AS windowSpec
  namedWindow = this.RULE("namedWindow", () => {
    this.SUBRULE(this.identifier);
    this.CONSUME(T.As);
    this.SUBRULE(this.windowSpec);
  });

  // windowSpec := identifier | '(' windowDefinition ')'
  override windowSpec = this.RULE("windowSpec", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.windowDefinition);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // windowDefinition := (PARTITION BY expression (',' expression)*)? (ORDER BY sortItem (',' sortItem)*)? windowFrame? identifier?
  windowDefinition = this.RULE("windowDefinition", () => {
    this.OPTION(() => {
      this.CONSUME(T.Partition);
      this.CONSUME(T.By);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    });
    this.OPTION2(() => {
      this.CONSUME(T.Order);
      this.CONSUME2(T.By);
      this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sortItem) });
    });
    this.OPTION3(() => this.SUBRULE(this.windowFrame));
    // `(w)`: a named window (alone, as Spark allows it).
    this.OPTION4(() => this.SUBRULE(this.identifier, { LABEL: "reference" }));
  });

  // windowFrame := (ROWS | RANGE) (BETWEEN frameBound AND frameBound | frameBound)
  windowFrame = this.RULE("windowFrame", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Rows) }, { ALT: () => this.CONSUME(T.Range) }]);
    this.OR2({
      // BETWEEN could also be a column named `between`: the keyword wins.
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Between);
            this.SUBRULE(this.frameBound, { LABEL: "lower" });
            this.CONSUME(T.And);
            this.SUBRULE2(this.frameBound, { LABEL: "upper" });
          },
        },
        { ALT: () => this.SUBRULE3(this.frameBound, { LABEL: "lower" }) },
      ],
    });
  });

  // frameBound := UNBOUNDED (PRECEDING | FOLLOWING) | CURRENT ROW | expression (PRECEDING | FOLLOWING)
  frameBound = this.RULE("frameBound", () => {
    this.OR({
      // UNBOUNDED and CURRENT are also names: as Spark's grammar, the keywords win.
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        { ALT: () => { this.CONSUME(T.Unbounded); this.OR2([{ ALT: () => this.CONSUME(T.Preceding) }, { ALT: () => this.CONSUME(T.Following) }]); } },
        { ALT: () => { this.CONSUME(T.Current); this.CONSUME(T.Row); } },
        {
          ALT: () => {
            this.SUBRULE(this.additive);
            this.OR3([{ ALT: () => this.CONSUME2(T.Preceding) }, { ALT: () => this.CONSUME2(T.Following) }]);
          },
        },
      ],
    });
  });
}
