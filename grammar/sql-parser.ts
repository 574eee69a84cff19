import { EOF, type CstNode } from "chevrotain";
import * as T from "./tokens.ts";
import { AlterStatementRules } from "./rules/alter-statement-rules.ts";

/**
 * rivulet's SQL grammar: syntax only, producing a CST that src/sql/ turns into logical plans and
 * statements. This top layer holds the statements (DDL, INSERT, SET, SHOW, DESCRIBE, EXPLAIN) and
 * the entry points; the layers below it, in grammar/rules/, hold queries, relations, windows,
 * function calls, expressions, literals and names.
 */
/** Every token that may stand in SET's raw value (all but ';' and the lexer's internal ones). */
const SET_VALUE_TOKENS = [
  T.Identifier, T.QuotedIdentifier, T.AnyKeyword, T.StringLiteral, T.BinaryLiteral, T.IntegerLiteral, T.DecimalLiteral, T.BigintLiteral,
  T.NullSafeEq, T.NotEq, T.LtEq, T.GtEq, T.Eq, T.Lt, T.Gt, T.Concat, T.Plus, T.Arrow, T.Minus, T.Star, T.Slash, T.Percent,
  T.LParen, T.RParen, T.LBracket, T.RBracket, T.Comma, T.Dot, T.Colon, T.QuestionMark,
];

export class SqlParser extends AlterStatementRules {
  constructor({ validate = false }: { validate?: boolean } = {}) {
    super(validate);
    // Every layer's rules are fields, set by now: analyse the whole grammar once.
    this.performSelfAnalysis();
  }

  // script := statement? (';' statement?)*
  script = this.RULE("script", () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.CONSUME(T.Semicolon);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  // statement := query | createStatement | insertStatement | setStatement | explainStatement
  //            | showTablesStatement | showColumnsStatement | showFunctionsStatement | describeFunctionStatement | describeStatement | dropStatement
  //            | (by their first words) INSERT OVERWRITE DIRECTORY, ALTER TABLE/VIEW, SHOW CREATE TABLE, SHOW TBLPROPERTIES, ANALYZE TABLE,
  //              [MSCK] REPAIR TABLE, cache, use, SHOW DATABASES, SHOW PARTITIONS, SHOW VIEWS, RESET, REFRESH TABLE, TRUNCATE TABLE, UNCACHE, CLEAR CACHE
  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { GATE: () => this.isInsertDirectory(), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.insertDirectoryStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.showTablesStatement) },
      { ALT: () => this.SUBRULE(this.showColumnsStatement) },
      { ALT: () => this.SUBRULE(this.showFunctionsStatement) },
      { ALT: () => this.SUBRULE(this.describeFunctionStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { GATE: () => this.#wordAt(1, "CACHE"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.cacheStatement) },
      { GATE: () => this.#wordAt(1, "USE"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.useStatement) },
      {
        GATE: () => this.LA(1).tokenType === T.Show && ["DATABASES", "SCHEMAS", "NAMESPACES"].some((w) => this.#wordAt(2, w)),
        IGNORE_AMBIGUITIES: true,
        ALT: () => this.SUBRULE(this.showDatabasesStatement),
      },
      {
        GATE: () => this.LA(1).tokenType === T.Show && this.#wordAt(2, "PARTITIONS"),
        IGNORE_AMBIGUITIES: true,
        ALT: () => this.SUBRULE(this.showPartitionsStatement),
      },
      {
        GATE: () => this.LA(1).tokenType === T.Show && this.#wordAt(2, "VIEWS"),
        IGNORE_AMBIGUITIES: true,
        ALT: () => this.SUBRULE(this.showViewsStatement),
      },
      { GATE: () => this.#wordAt(1, "ALTER") && [T.Table, T.View].includes(this.LA(2).tokenType), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.alterStatement) },
      { GATE: () => this.LA(1).tokenType === T.Show && this.LA(2).tokenType === T.Create, IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.showCreateTableStatement) },
      { GATE: () => this.LA(1).tokenType === T.Show && this.#wordAt(2, "TBLPROPERTIES"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.showTblPropertiesStatement) },
      { GATE: () => this.#wordAt(1, "ANALYZE") && this.LA(2).tokenType === T.Table, IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.analyzeStatement) },
      {
        GATE: () => (this.#wordAt(1, "MSCK") && this.#wordAt(2, "REPAIR")) || (this.#wordAt(1, "REPAIR") && this.LA(2).tokenType === T.Table),
        IGNORE_AMBIGUITIES: true,
        ALT: () => this.SUBRULE(this.repairTableStatement),
      },
      { GATE: () => this.#wordAt(1, "RESET"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.resetStatement) },
      { GATE: () => this.#wordAt(1, "REFRESH") && this.LA(2).tokenType === T.Table, IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.refreshTableStatement) },
      { GATE: () => this.#wordAt(1, "TRUNCATE"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.truncateStatement) },
      { GATE: () => this.#wordAt(1, "UNCACHE"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.uncacheStatement) },
      { GATE: () => this.#wordAt(1, "CLEAR"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.clearCacheStatement) },
    ]);
  });

  /** Whether token `k` ahead is `word`, an identifier here (Spark's non-reserved CACHE, USE, SORT…). */
  #wordAt(k: number, word: string): boolean {
    const t = this.LA(k);
    return t.tokenType === T.Identifier && t.image.toUpperCase() === word;
  }

  // setStatement := SET ('-' Identifier                                                  -- SET -v
  //                      | Identifier Identifier (StringLiteral | Identifier | intervalLiteral)   -- SET TIME ZONE …
  //                      | qualifiedName ('=' setValueToken*)?)?
  setStatement = this.RULE("setStatement", () => {
    this.CONSUME(T.SetKw);
    this.OPTION(() => this.OR([
      // SET -v: every setting with its meaning and the version that added it.
      { ALT: () => { this.CONSUME(T.Minus); this.CONSUME4(T.Identifier, { LABEL: "verboseWord" }); } },
      {
        GATE: () => this.LA(1).image.toUpperCase() === "TIME" && this.LA(2).image.toUpperCase() === "ZONE",
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: "timeWord" });
          this.CONSUME2(T.Identifier, { LABEL: "zoneWord" });
          this.OR2([
            { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "zoneId" }) },
            { ALT: () => this.CONSUME3(T.Identifier, { LABEL: "zoneWord2" }) },
            { ALT: () => this.SUBRULE(this.intervalLiteral) },
          ]);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.qualifiedName);
          this.OPTION2(() => {
            this.CONSUME(T.Eq);
            this.MANY(() => this.SUBRULE(this.setValueToken));
          });
        },
      },
    ]));
  });

  // setValueToken := any token but ';' — Spark takes SET's value as the raw text up to ';'
  //                  (`America/Los_Angeles`, `30 minutes`); the visitor reads it from the source.
  setValueToken = this.RULE("setValueToken", () => {
    this.OR(SET_VALUE_TOKENS.map((t) => ({ ALT: () => this.CONSUME(t) })));
  });

  // explainStatement := EXPLAIN EXTENDED? query
  explainStatement = this.RULE("explainStatement", () => {
    this.CONSUME(T.Explain);
    this.OPTION(() => this.CONSUME(T.Extended));
    this.SUBRULE(this.query);
  });

  // showTablesStatement := SHOW TABLES ((FROM | IN) qualifiedName)? (LIKE? StringLiteral)?
  showTablesStatement = this.RULE("showTablesStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Tables);
    this.SUBRULE(this.listingFilter);
  });

  // showViewsStatement := SHOW VIEWS ((FROM | IN) qualifiedName)? (LIKE? StringLiteral)?
  showViewsStatement = this.RULE("showViewsStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Identifier, { LABEL: "viewsWord" });
    this.SUBRULE(this.listingFilter);
  });

  // listingFilter := ((FROM | IN) qualifiedName)? (LIKE? StringLiteral)?  -- SHOW TABLES', VIEWS' and DATABASES' namespace and pattern
  listingFilter = this.RULE("listingFilter", () => {
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.In) }]);
      this.SUBRULE(this.qualifiedName);
    });
    this.OPTION2(() => {
      this.OPTION3(() => this.CONSUME(T.Like));
      this.CONSUME(T.StringLiteral);
    });
  });

  // resetStatement := RESET qualifiedName?
  resetStatement = this.RULE("resetStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "resetWord" });
    this.OPTION(() => this.SUBRULE(this.qualifiedName));
  });

  // refreshTableStatement := REFRESH TABLE identifierReference
  refreshTableStatement = this.RULE("refreshTableStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "refreshWord" });
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
  });

  // truncateStatement := TRUNCATE TABLE identifierReference partitionSpec?
  truncateStatement = this.RULE("truncateStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "truncateWord" });
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => this.SUBRULE(this.partitionSpec));
  });

  // showPartitionsStatement := SHOW PARTITIONS identifierReference partitionSpec?
  showPartitionsStatement = this.RULE("showPartitionsStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Identifier, { LABEL: "partitionsWord" });
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => this.SUBRULE(this.partitionSpec));
  });

  // showColumnsStatement := SHOW COLUMNS (FROM | IN) identifierReference ((FROM | IN) qualifiedName)?
  showColumnsStatement = this.RULE("showColumnsStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Columns);
    this.OR([{ ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.In) }]);
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => {
      this.OR2([{ ALT: () => this.CONSUME2(T.From) }, { ALT: () => this.CONSUME2(T.In) }]);
      this.SUBRULE(this.qualifiedName);
    });
  });

  // showFunctionsStatement := SHOW FUNCTIONS (LIKE? StringLiteral)?
  showFunctionsStatement = this.RULE("showFunctionsStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Functions);
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(T.Like));
      this.CONSUME(T.StringLiteral);
    });
  });

  // describeFunctionStatement := (DESCRIBE | DESC) FUNCTION EXTENDED? (qualifiedName | StringLiteral | LEFT | RIGHT | REGEXP)
  describeFunctionStatement = this.RULE("describeFunctionStatement", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Describe) }, { ALT: () => this.CONSUME(T.Desc) }]);
    this.CONSUME(T.FunctionKw);
    this.OPTION(() => this.CONSUME(T.Extended));
    this.OR2([
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.Left) },
      { ALT: () => this.CONSUME(T.Right) },
      { ALT: () => this.CONSUME(T.Regexp) },
    ]);
  });

  // describeStatement := (DESCRIBE | DESC) ( QUERY? query                                  (a query's columns)
  //                                         | TABLE? (EXTENDED | FORMATTED)? identifierReference )
  describeStatement = this.RULE("describeStatement", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Describe) }, { ALT: () => this.CONSUME(T.Desc) }]);
    this.OR2([
      {
        GATE: () => this.#wordAt(1, "QUERY") || [T.Select, T.With, T.Values, T.LParen].includes(this.LA(1).tokenType),
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.OPTION3(() => this.CONSUME(T.Identifier, { LABEL: "queryWord" }));
          this.SUBRULE(this.query);
        },
      },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Table));
          this.OPTION2({
            // EXTENDED or FORMATTED when a table name follows (else it is the table's name).
            GATE: () => (this.LA(1).tokenType === T.Extended || this.#wordAt(1, "FORMATTED")) && this.LA(2).tokenType !== EOF && this.LA(2).tokenType !== T.Semicolon,
            DEF: () => this.OR3([
              { ALT: () => this.CONSUME(T.Extended) },
              { ALT: () => this.CONSUME2(T.Identifier, { LABEL: "formattedWord" }) },
            ]),
          });
          this.SUBRULE(this.identifierReference);
        },
      },
    ]);
  });

  // useStatement := USE ((NAMESPACE | DATABASE | SCHEMA) )? qualifiedName
  useStatement = this.RULE("useStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "useWord" });
    this.OPTION({
      GATE: () => ["NAMESPACE", "DATABASE", "SCHEMA"].some((w) => this.#wordAt(1, w)) && this.LA(2).tokenType !== EOF && this.LA(2).tokenType !== T.Semicolon,
      DEF: () => this.CONSUME2(T.Identifier, { LABEL: "namespaceWord" }),
    });
    this.SUBRULE(this.qualifiedName);
  });

  // showDatabasesStatement := SHOW (DATABASES | SCHEMAS | NAMESPACES) listingFilter
  showDatabasesStatement = this.RULE("showDatabasesStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Identifier, { LABEL: "databasesWord" });
    this.SUBRULE(this.listingFilter);
  });

  // singleExpression := expression        (entry point for expr(), filter("…"))
  singleExpression = this.RULE("singleExpression", () => {
    this.SUBRULE(this.expression);
  });

  // singleSelectItem := selectItem        (entry point for selectExpr("…"))
  singleSelectItem = this.RULE("singleSelectItem", () => {
    this.SUBRULE(this.selectItem);
  });
}

let shared: SqlParser | null = null;

/**
 * The parser, built on first use and then reused (chevrotain parsers are reusable: set `input`,
 * call a rule). Building it analyses the whole grammar, about half a second, so it waits for the
 * first SQL text rather than slowing every import of rivulet.
 */
export function sqlParser(): SqlParser {
  shared ??= new SqlParser();
  return shared;
}

export type { CstNode };
