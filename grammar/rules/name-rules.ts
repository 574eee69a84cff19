import { SqlParserBase } from "./parser-base.ts";
import * as T from "../tokens.ts";

/** Names, qualified names and data types: the leaves every other layer refers to. */
export abstract class NameRules extends SqlParserBase {
  // identifierList := '(' identifier (',' identifier)* ')'
  identifierList = this.RULE("identifierList", () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.identifier) });
    this.CONSUME(T.RParen);
  });

  // columnReference := columnName ('.' nameOrKeyword)*
  columnReference = this.RULE("columnReference", () => {
    this.SUBRULE(this.columnName);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE(this.nameOrKeyword);
    });
  });

  // qualifiedName := identifier ('.' nameOrKeyword)*
  qualifiedName = this.RULE("qualifiedName", () => {
    this.SUBRULE(this.identifier);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE(this.nameOrKeyword);
    });
  });

  // columnName := identifier | ColumnNameKeyword
  columnName = this.RULE("columnName", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(T.ColumnNameKeyword) },
    ]);
  });

  // nameOrKeyword := Identifier | QuotedIdentifier | AnyKeyword     (after '.' or AS: every keyword is a name)
  nameOrKeyword = this.RULE("nameOrKeyword", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.QuotedIdentifier) },
      { ALT: () => this.CONSUME(T.AnyKeyword) },
    ]);
  });

  // identifier := Identifier | QuotedIdentifier | NonReserved
  identifier = this.RULE("identifier", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.QuotedIdentifier) },
      { ALT: () => this.CONSUME(T.NonReserved) },
    ]);
  });

  // dataType := identifier typeParameters? | INTERVAL Identifier* (INTERVAL DAY TO SECOND)
  dataType = this.RULE("dataType", () => {
    const first = this.LA(1);
    this.SUBRULE(this.identifier);
    this.OPTION(() => this.SUBRULE(this.typeParameters));
    this.MANY({
      GATE: () => first.tokenType === T.Interval,
      DEF: () => this.CONSUME(T.Identifier, { LABEL: "intervalField" }),
    });
  });

  // typeParameters := '<' typeArgument (',' typeArgument)* '>' | '(' IntegerLiteral (',' IntegerLiteral)* ')'
  typeParameters = this.RULE("typeParameters", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Lt);
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.typeArgument) });
          this.CONSUME(T.Gt);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.CONSUME(T.IntegerLiteral) });
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // typeArgument := identifier (typeParameters | ':'? dataType)?     (a type, or a struct field)
  typeArgument = this.RULE("typeArgument", () => {
    this.SUBRULE(this.identifier);
    this.OPTION(() => this.OR([
      { ALT: () => this.SUBRULE(this.typeParameters) },
      {
        ALT: () => {
          this.OPTION2(() => this.CONSUME(T.Colon));
          this.SUBRULE(this.dataType);
        },
      },
    ]));
  });
}
