import { EOF, type CstNode } from "chevrotain";
import * as T from "./tokens.ts";
import { QueryRules } from "./rules/query-rules.ts";

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

export class SqlParser extends QueryRules {
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
  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
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
      { GATE: () => this.#wordAt(1, "UNCACHE"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.uncacheStatement) },
      { GATE: () => this.#wordAt(1, "CLEAR"), IGNORE_AMBIGUITIES: true, ALT: () => this.SUBRULE(this.clearCacheStatement) },
    ]);
  });

  /** Whether token `k` ahead is `word`, an identifier here (Spark's non-reserved CACHE, USE, SORT…). */
  #wordAt(k: number, word: string): boolean {
    const t = this.LA(k);
    return t.tokenType === T.Identifier && t.image.toUpperCase() === word;
  }

  // cacheStatement := CACHE LAZY? TABLE qualifiedName (OPTIONS '(' optionItem (',' optionItem)* ')')? (AS? query)?
  cacheStatement = this.RULE("cacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "cacheWord" });
    this.OPTION(() => this.CONSUME2(T.Identifier, { LABEL: "lazyWord" }));
    this.CONSUME(T.Table);
    this.SUBRULE(this.qualifiedName);
    this.OPTION2(() => {
      this.CONSUME(T.Options);
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionItem) });
      this.CONSUME(T.RParen);
    });
    this.OPTION3(() => {
      this.OPTION4(() => this.CONSUME(T.As));
      this.SUBRULE(this.query);
    });
  });

  // uncacheStatement := UNCACHE TABLE (IF EXISTS)? qualifiedName
  uncacheStatement = this.RULE("uncacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "uncacheWord" });
    this.CONSUME(T.Table);
    this.OPTION(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
    this.SUBRULE(this.qualifiedName);
  });

  // clearCacheStatement := CLEAR CACHE
  clearCacheStatement = this.RULE("clearCacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "clearWord" });
    this.CONSUME2(T.Identifier, { LABEL: "cacheWord" });
  });

  // createStatement := CREATE (OR REPLACE)? ( GLOBAL? (TEMPORARY | TEMP)? VIEW (IF NOT EXISTS)? identifier (identifierList? AS query | viewUsing)
  //                                         | TABLE (IF NOT EXISTS)? qualifiedName ('(' columnDefinition (',' columnDefinition)* ')')?
  //                                           (USING identifier)? (OPTIONS '(' optionItem (',' optionItem)* ')' | LOCATION StringLiteral)*
  //                                           (AS? query)? )
  createStatement = this.RULE("createStatement", () => {
    this.CONSUME(T.Create);
    this.OPTION(() => { this.CONSUME(T.Or); this.CONSUME(T.Replace); });
    this.OR([
      {
        ALT: () => {
          this.option(10, () => this.CONSUME(T.Global));
          this.OPTION2(() => this.OR2([{ ALT: () => this.CONSUME(T.Temporary) }, { ALT: () => this.CONSUME(T.Temp) }]));
          this.CONSUME(T.View);
          this.OPTION3(() => this.SUBRULE(this.ifNotExists));
          this.SUBRULE(this.identifier);
          this.or(4, [
            { ALT: () => this.SUBRULE(this.viewUsing) },
            {
              ALT: () => {
                this.OPTION7(() => this.SUBRULE(this.identifierList));
                this.CONSUME(T.As);
                this.SUBRULE(this.query);
              },
            },
          ]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.Table);
          this.OPTION4(() => this.SUBRULE2(this.ifNotExists));
          this.SUBRULE(this.qualifiedName);
          this.OPTION5(() => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.columnDefinition) });
            this.CONSUME(T.RParen);
          });
          // Without USING: spark.sql.sources.default (parquet).
          this.OPTION6(() => { this.CONSUME(T.Using); this.SUBRULE2(this.identifier); });
          // Spark's createTableClauses: OPTIONS and LOCATION in either order.
          this.MANY(() => this.OR3([
            {
              ALT: () => {
                this.CONSUME(T.Options);
                this.CONSUME2(T.LParen);
                this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionItem) });
                this.CONSUME2(T.RParen);
              },
            },
            { ALT: () => { this.CONSUME(T.Location); this.CONSUME(T.StringLiteral, { LABEL: "location" }); } },
          ]));
          // CREATE TABLE … AS SELECT (CTAS); AS may be left out before the query.
          this.OPTION8(() => {
            this.OPTION9(() => this.CONSUME2(T.As));
            this.SUBRULE2(this.query);
          });
        },
      },
    ]);
  });

  // viewUsing := ('(' columnDefinition (',' columnDefinition)* ')')? USING identifier (OPTIONS '(' optionItem (',' optionItem)* ')')?
  // Spark's createTempViewUsing: a temporary view over a data source.
  viewUsing = this.RULE("viewUsing", () => {
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.columnDefinition) });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Using);
    this.SUBRULE(this.identifier);
    this.OPTION2(() => {
      this.CONSUME(T.Options);
      this.CONSUME2(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionItem) });
      this.CONSUME2(T.RParen);
    });
  });

  // ifNotExists := IF NOT EXISTS
  ifNotExists = this.RULE("ifNotExists", () => {
    this.CONSUME(T.If);
    this.CONSUME(T.Not);
    this.CONSUME(T.Exists);
  });

  // columnDefinition := identifier dataType (NOT NULL)?
  columnDefinition = this.RULE("columnDefinition", () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.dataType);
    this.OPTION(() => { this.CONSUME(T.Not); this.CONSUME(T.Null); });
  });

  // optionItem := (StringLiteral | qualifiedName) '='? optionValue
  optionItem = this.RULE("optionItem", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
    ]);
    this.OPTION(() => this.CONSUME(T.Eq));
    this.SUBRULE(this.optionValue);
  });

  // optionValue := StringLiteral | '-'? (IntegerLiteral | DecimalLiteral) | TRUE | FALSE | qualifiedName
  optionValue = this.RULE("optionValue", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.StringLiteral) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(T.Minus));
          this.OR2([{ ALT: () => this.CONSUME(T.IntegerLiteral) }, { ALT: () => this.CONSUME(T.DecimalLiteral) }]);
        },
      },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
    ]);
  });

  // insertStatement := INSERT (INTO | OVERWRITE) TABLE? qualifiedName (identifierList | BY NAME)? query
  insertStatement = this.RULE("insertStatement", () => {
    this.CONSUME(T.Insert);
    this.OR([{ ALT: () => this.CONSUME(T.Into) }, { ALT: () => this.CONSUME(T.Overwrite) }]);
    this.OPTION(() => this.CONSUME(T.Table));
    this.SUBRULE(this.qualifiedName);
    this.OPTION2({
      // `(c2, c1) SELECT …`, not a parenthesised query `(SELECT …)`.
      GATE: () => this.LA(1).tokenType === T.LParen && ![T.Select, T.With, T.Values, T.LParen, T.Table, T.From].includes(this.LA(2).tokenType),
      DEF: () => this.SUBRULE(this.identifierList, { LABEL: "insertColumns" }),
    });
    this.OPTION3({
      GATE: () => this.LA(1).tokenType === T.By && this.LA(2).image.toUpperCase() === "NAME",
      DEF: () => { this.CONSUME(T.By); this.CONSUME(T.Identifier, { LABEL: "byName" }); },
    });
    this.SUBRULE(this.query);
  });

  // setStatement := SET (Identifier Identifier (StringLiteral | Identifier | intervalLiteral)   -- SET TIME ZONE …
  //                      | qualifiedName ('=' setValueToken*)?)?
  setStatement = this.RULE("setStatement", () => {
    this.CONSUME(T.SetKw);
    this.OPTION(() => this.OR([
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

  // showTablesStatement := SHOW TABLES
  showTablesStatement = this.RULE("showTablesStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Tables);
  });

  // showColumnsStatement := SHOW COLUMNS (FROM | IN) qualifiedName ((FROM | IN) qualifiedName)?
  showColumnsStatement = this.RULE("showColumnsStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Columns);
    this.OR([{ ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.In) }]);
    this.SUBRULE(this.qualifiedName);
    this.OPTION(() => {
      this.OR2([{ ALT: () => this.CONSUME2(T.From) }, { ALT: () => this.CONSUME2(T.In) }]);
      this.SUBRULE2(this.qualifiedName);
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
  //                                         | TABLE? (EXTENDED | FORMATTED)? qualifiedName )
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
          this.SUBRULE(this.qualifiedName);
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

  // showDatabasesStatement := SHOW (DATABASES | SCHEMAS | NAMESPACES) ((FROM | IN) qualifiedName)? (LIKE? StringLiteral)?
  showDatabasesStatement = this.RULE("showDatabasesStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Identifier, { LABEL: "databasesWord" });
    this.OPTION(() => {
      this.OR([{ ALT: () => this.CONSUME(T.From) }, { ALT: () => this.CONSUME(T.In) }]);
      this.SUBRULE(this.qualifiedName);
    });
    this.OPTION2(() => {
      this.OPTION3(() => this.CONSUME(T.Like));
      this.CONSUME(T.StringLiteral);
    });
  });

  // dropStatement := DROP (TABLE | VIEW) (IF EXISTS)? qualifiedName
  dropStatement = this.RULE("dropStatement", () => {
    this.CONSUME(T.Drop);
    this.OR([{ ALT: () => this.CONSUME(T.Table) }, { ALT: () => this.CONSUME(T.View) }]);
    this.OPTION(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
    this.SUBRULE(this.qualifiedName);
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
