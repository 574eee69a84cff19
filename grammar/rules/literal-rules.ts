import { NameRules } from "./name-rules.ts";
import * as T from "../tokens.ts";

/** Literals: numbers, strings, typed literals (`DATE '…'`, `x'…'`) and intervals. */
export abstract class LiteralRules extends NameRules {
  // intervalLiteral := INTERVAL intervalPart intervalPart*      (a '-' starts another part only before a value)
  intervalLiteral = this.RULE("intervalLiteral", () => {
    this.CONSUME(T.Interval);
    this.SUBRULE(this.intervalPart);
    this.MANY({
      GATE: () => this.LA(1).tokenType !== T.Minus || [T.IntegerLiteral, T.DecimalLiteral, T.StringLiteral].includes(this.LA(2).tokenType),
      DEF: () => this.SUBRULE2(this.intervalPart),
    });
  });

  // intervalPart := '-'? (IntegerLiteral | DecimalLiteral | StringLiteral) Identifier? (TO Identifier)?
  intervalPart = this.RULE("intervalPart", () => {
    this.OPTION(() => this.CONSUME(T.Minus));
    this.OR([
      { ALT: () => this.CONSUME(T.IntegerLiteral) },
      { ALT: () => this.CONSUME(T.DecimalLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
    ]);
    this.OPTION2(() => this.CONSUME(T.Identifier, { LABEL: "unit" }));
    this.OPTION3({
      GATE: () => this.LA(1).image.toUpperCase() === "TO",
      DEF: () => {
        this.CONSUME2(T.Identifier, { LABEL: "toWord" });
        this.CONSUME3(T.Identifier, { LABEL: "toUnit" });
      },
    });
  });

  // typedLiteral := (TIMESTAMP | DATE | Identifier) StringLiteral      (Identifier: TIMESTAMP_NTZ, TIMESTAMP_LTZ)
  typedLiteral = this.RULE("typedLiteral", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Timestamp) },
      { ALT: () => this.CONSUME(T.DateKw) },
      { ALT: () => this.CONSUME(T.Identifier, { LABEL: "typeWord" }) },
    ]);
    this.CONSUME(T.StringLiteral);
  });

  // literal := IntegerLiteral | BigintLiteral | DecimalLiteral | BinaryLiteral | StringLiteral+ | TRUE | FALSE | NULL
  literal = this.RULE("literal", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.IntegerLiteral) },
      { ALT: () => this.CONSUME(T.BigintLiteral) },
      { ALT: () => this.CONSUME(T.DecimalLiteral) },
      { ALT: () => this.CONSUME(T.BinaryLiteral) },
      { ALT: () => this.AT_LEAST_ONE(() => this.CONSUME(T.StringLiteral)) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME(T.Null) },
    ]);
  });
}
