import { CstParser, type CstNode } from "chevrotain";
import * as T from "./tokens.ts";

/**
 * rivulet's SQL grammar: syntax only, producing a CST that src/sql/ turns into logical
 * plans and statements. Expression precedence follows Spark's, lowest first:
 * OR < AND < NOT < predicates (comparison, IS, IN, BETWEEN, LIKE) < `+ - ||` < `* / % DIV`
 * < unary minus < field access.
 */
export class SqlParser extends CstParser {
  /**
   * `validate`: check the grammar itself (ambiguities, duplicate DSL indices, left recursion).
   * That check is half of the parser's construction time and its answer never changes between
   * runs, so the parser every import builds skips it and test/sql/grammar-validation.test.ts
   * builds one with it: a grammar change that breaks it fails CI, not a user's import.
   */
  constructor({ validate = false }: { validate?: boolean } = {}) {
    // LL(3) is enough for this grammar (the validation proves it: an ambiguity within three
    // tokens fails it). Each extra token of lookahead multiplies the paths the analysis walks
    // through the keyword categories: at 4 it took ~4 s and ~250 MB on every import of rivulet.
    super(T.allTokens, { maxLookahead: 3, recoveryEnabled: false, nodeLocationTracking: "onlyOffset", skipValidations: !validate });
    this.performSelfAnalysis();
  }

  // ---------- Statements ----------

  // script := statement? (';' statement?)*
  script = this.RULE("script", () => {
    this.OPTION(() => this.SUBRULE(this.statement));
    this.MANY(() => {
      this.CONSUME(T.Semicolon);
      this.OPTION2(() => this.SUBRULE2(this.statement));
    });
  });

  // statement := query | createStatement | insertStatement | setStatement | explainStatement
  //            | showTablesStatement | showFunctionsStatement | describeFunctionStatement | describeStatement | dropStatement
  statement = this.RULE("statement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.query) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.showTablesStatement) },
      { ALT: () => this.SUBRULE(this.showFunctionsStatement) },
      { ALT: () => this.SUBRULE(this.describeFunctionStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
    ]);
  });

  // createStatement := CREATE (OR REPLACE)? ( (TEMPORARY | TEMP)? VIEW (IF NOT EXISTS)? identifier identifierList? AS query
  //                                         | TABLE (IF NOT EXISTS)? qualifiedName ('(' columnDefinition (',' columnDefinition)* ')')?
  //                                           USING identifier (OPTIONS '(' optionItem (',' optionItem)* ')' | LOCATION StringLiteral)* )
  createStatement = this.RULE("createStatement", () => {
    this.CONSUME(T.Create);
    this.OPTION(() => { this.CONSUME(T.Or); this.CONSUME(T.Replace); });
    this.OR([
      {
        ALT: () => {
          this.OPTION2(() => this.OR2([{ ALT: () => this.CONSUME(T.Temporary) }, { ALT: () => this.CONSUME(T.Temp) }]));
          this.CONSUME(T.View);
          this.OPTION3(() => this.SUBRULE(this.ifNotExists));
          this.SUBRULE(this.identifier);
          this.OPTION7(() => this.SUBRULE(this.identifierList));
          this.CONSUME(T.As);
          this.SUBRULE(this.query);
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
          this.CONSUME(T.Using);
          this.SUBRULE2(this.identifier);
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
        },
      },
    ]);
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

  // insertStatement := INSERT (INTO | OVERWRITE) TABLE? qualifiedName query
  insertStatement = this.RULE("insertStatement", () => {
    this.CONSUME(T.Insert);
    this.OR([{ ALT: () => this.CONSUME(T.Into) }, { ALT: () => this.CONSUME(T.Overwrite) }]);
    this.OPTION(() => this.CONSUME(T.Table));
    this.SUBRULE(this.qualifiedName);
    this.SUBRULE(this.query);
  });

  // setStatement := SET (Identifier Identifier (StringLiteral | Identifier | intervalLiteral)   -- SET TIME ZONE …
  //                      | qualifiedName ('=' optionValue)?)?
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
            this.SUBRULE(this.optionValue);
          });
        },
      },
    ]));
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

  // describeStatement := (DESCRIBE | DESC) TABLE? qualifiedName
  describeStatement = this.RULE("describeStatement", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Describe) }, { ALT: () => this.CONSUME(T.Desc) }]);
    this.OPTION(() => this.CONSUME(T.Table));
    this.SUBRULE(this.qualifiedName);
  });

  // dropStatement := DROP (TABLE | VIEW) (IF EXISTS)? qualifiedName
  dropStatement = this.RULE("dropStatement", () => {
    this.CONSUME(T.Drop);
    this.OR([{ ALT: () => this.CONSUME(T.Table) }, { ALT: () => this.CONSUME(T.View) }]);
    this.OPTION(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
    this.SUBRULE(this.qualifiedName);
  });

  // ---------- Queries ----------

  // query := withClause? queryBody orderByClause? limitClause? offsetClause?
  query = this.RULE("query", () => {
    this.OPTION(() => this.SUBRULE(this.withClause));
    this.SUBRULE(this.queryBody);
    this.OPTION2(() => this.SUBRULE(this.orderByClause));
    this.OPTION3(() => this.SUBRULE(this.limitClause));
    this.OPTION4(() => this.SUBRULE(this.offsetClause));
  });

  // withClause := WITH namedQuery (',' namedQuery)*
  withClause = this.RULE("withClause", () => {
    this.CONSUME(T.With);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.namedQuery) });
  });

  // namedQuery := identifier identifierList? AS? '(' query ')'
  namedQuery = this.RULE("namedQuery", () => {
    this.SUBRULE(this.identifier);
    this.OPTION2(() => this.SUBRULE(this.identifierList));
    this.OPTION(() => this.CONSUME(T.As));
    this.CONSUME(T.LParen);
    this.SUBRULE(this.query);
    this.CONSUME(T.RParen);
  });

  // queryBody := intersectTerm (setOperator intersectTerm)*       (UNION, EXCEPT, MINUS: left to right)
  queryBody = this.RULE("queryBody", () => {
    this.SUBRULE(this.intersectTerm);
    this.MANY(() => {
      this.SUBRULE(this.setOperator);
      this.SUBRULE2(this.intersectTerm);
    });
  });

  // setOperator := (UNION | EXCEPT | MINUS) (ALL | DISTINCT)?
  setOperator = this.RULE("setOperator", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Union) },
      { ALT: () => this.CONSUME(T.Except) },
      { ALT: () => this.CONSUME(T.MinusKw) },
    ]);
    this.OPTION(() => this.SUBRULE(this.setQuantifier));
  });

  // intersectTerm := queryTerm (INTERSECT setQuantifier? queryTerm)*   (INTERSECT binds tighter, as in Spark)
  intersectTerm = this.RULE("intersectTerm", () => {
    this.SUBRULE(this.queryTerm);
    this.MANY(() => {
      this.CONSUME(T.Intersect);
      this.OPTION(() => this.SUBRULE(this.setQuantifier));
      this.SUBRULE2(this.queryTerm);
    });
  });

  // setQuantifier := ALL | DISTINCT
  setQuantifier = this.RULE("setQuantifier", () => {
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.CONSUME(T.Distinct) }]);
  });

  // queryTerm := querySpecification | inlineTable | '(' query ')'
  queryTerm = this.RULE("queryTerm", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.querySpecification) },
      { ALT: () => this.SUBRULE(this.inlineTable) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.query);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // querySpecification := SELECT (DISTINCT | ALL)? selectItem (',' selectItem)*
  //                       fromClause? whereClause? groupByClause? havingClause? windowClause?
  querySpecification = this.RULE("querySpecification", () => {
    this.CONSUME(T.Select);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Distinct) }, { ALT: () => this.CONSUME(T.All) }]));
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.selectItem) });
    this.OPTION2(() => this.SUBRULE(this.fromClause));
    this.OPTION3(() => this.SUBRULE(this.whereClause));
    this.OPTION4(() => this.SUBRULE(this.groupByClause));
    this.OPTION5(() => this.SUBRULE(this.havingClause));
    this.OPTION6(() => this.SUBRULE(this.windowClause));
  });

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
  windowSpec = this.RULE("windowSpec", () => {
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

  // selectItem := '*' | identifier '.' '*' | expression (AS nameOrKeyword | identifier)?
  selectItem = this.RULE("selectItem", () => {
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
          this.SUBRULE(this.expression);
          this.OPTION(() => this.OR2([
            { ALT: () => { this.CONSUME(T.As); this.SUBRULE(this.nameOrKeyword); } },
            { ALT: () => this.SUBRULE2(this.identifier) },
          ]));
        },
      },
    ]);
  });

  // fromClause := FROM relation (',' relation)*
  fromClause = this.RULE("fromClause", () => {
    this.CONSUME(T.From);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.relation) });
  });

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

  // relationPrimary := (streamTable | inlineTable | tableFunction | qualifiedName | '(' query ')')
  //                    watermarkClause? tableAlias? watermarkClause?
  relationPrimary = this.RULE("relationPrimary", () => {
    this.OR([
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
    // `FROM t WINDOW w AS (…)` and `FROM t OFFSET 2`: the clause, not an alias named WINDOW or OFFSET.
    this.OPTION2({ GATE: () => !this.#clauseAfterRelation(), DEF: () => this.SUBRULE(this.tableAlias) });
    this.OPTION3(() => this.SUBRULE2(this.watermarkClause));
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

  // identifierList := '(' identifier (',' identifier)* ')'
  identifierList = this.RULE("identifierList", () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.identifier) });
    this.CONSUME(T.RParen);
  });

  /** WINDOW w AS … or OFFSET <value> right after a relation: the clause, though both words can be names. */
  #clauseAfterRelation(): boolean {
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

  // whereClause := WHERE expression
  whereClause = this.RULE("whereClause", () => {
    this.CONSUME(T.Where);
    this.SUBRULE(this.expression);
  });

  // groupByClause := GROUP BY (ALL | groupingItem (',' groupingItem)* (WITH (ROLLUP | CUBE))?)
  groupByClause = this.RULE("groupByClause", () => {
    this.CONSUME(T.Group);
    this.CONSUME(T.By);
    this.OR([
      { ALT: () => this.CONSUME(T.All) },
      {
        ALT: () => {
          this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingItem) });
          this.OPTION(() => {
            this.CONSUME(T.With);
            this.OR2([{ ALT: () => this.CONSUME(T.Rollup, { LABEL: "withRollup" }) }, { ALT: () => this.CONSUME(T.Cube, { LABEL: "withCube" }) }]);
          });
        },
      },
    ]);
  });

  // groupingItem := (ROLLUP | CUBE | GROUPING SETS) '(' groupingSet (',' groupingSet)* ')' | expression
  groupingItem = this.RULE("groupingItem", () => {
    this.OR({
      // rollup(…) and cube(…) also read as function calls: the grouping keywords win, as in Spark.
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            this.OR2([
              { ALT: () => this.CONSUME(T.Rollup) },
              { ALT: () => this.CONSUME(T.Cube) },
              { ALT: () => { this.CONSUME(T.Grouping); this.CONSUME(T.Sets); } },
            ]);
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.groupingSet) });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  // groupingSet := '(' (expression (',' expression)*)? ')' | expression
  groupingSet = this.RULE("groupingSet", () => {
    this.OR({
      IGNORE_AMBIGUITIES: true,
      MAX_LOOKAHEAD: 1,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
            this.CONSUME(T.RParen);
          },
        },
        { ALT: () => this.SUBRULE2(this.expression) },
      ],
    });
  });

  // havingClause := HAVING expression
  havingClause = this.RULE("havingClause", () => {
    this.CONSUME(T.Having);
    this.SUBRULE(this.expression);
  });

  // orderByClause := ORDER BY sortItem (',' sortItem)*
  orderByClause = this.RULE("orderByClause", () => {
    this.CONSUME(T.Order);
    this.CONSUME(T.By);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.sortItem) });
  });

  // sortItem := expression (ASC | DESC)? (NULLS (FIRST | LAST))?
  sortItem = this.RULE("sortItem", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(T.Asc) }, { ALT: () => this.CONSUME(T.Desc) }]));
    this.OPTION2(() => {
      this.CONSUME(T.Nulls);
      this.OR2([{ ALT: () => this.CONSUME(T.First) }, { ALT: () => this.CONSUME(T.Last) }]);
    });
  });

  // limitClause := LIMIT (ALL | expression)
  limitClause = this.RULE("limitClause", () => {
    this.CONSUME(T.Limit);
    this.OR([{ ALT: () => this.CONSUME(T.All) }, { ALT: () => this.SUBRULE(this.expression) }]);
  });

  // offsetClause := OFFSET expression
  offsetClause = this.RULE("offsetClause", () => {
    this.CONSUME(T.Offset);
    this.SUBRULE(this.expression);
  });

  // ---------- Expressions ----------

  // singleExpression := expression        (entry point for expr(), filter("…"))
  singleExpression = this.RULE("singleExpression", () => {
    this.SUBRULE(this.expression);
  });

  // singleSelectItem := selectItem        (entry point for selectExpr("…"))
  singleSelectItem = this.RULE("singleSelectItem", () => {
    this.SUBRULE(this.selectItem);
  });

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

  // predicate := NOT? ( BETWEEN additive AND additive | IN subquery | IN '(' expression (',' expression)* ')'
  //                   | LIKE additive | RLIKE additive )
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
                this.SUBRULE(this.additive);
                this.CONSUME(T.And);
                this.SUBRULE2(this.additive);
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
            { ALT: () => { this.OR5([{ ALT: () => this.CONSUME(T.RLike) }, { ALT: () => this.CONSUME(T.Regexp) }]); this.SUBRULE4(this.additive); } },
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
            { ALT: () => { this.CONSUME(T.Distinct); this.CONSUME(T.From); this.SUBRULE5(this.additive); } },
          ]);
        },
      },
    ]);
  });

  // likePredicate := (LIKE | ILIKE) ( (ANY | SOME | ALL) '(' expression (',' expression)* ')' | additive )
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
      { ALT: () => this.SUBRULE(this.additive) },
    ]);
  });

  // comparison := additive (comparisonOperator additive)*
  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.additive);
    this.MANY(() => {
      this.SUBRULE(this.comparisonOperator);
      this.SUBRULE2(this.additive);
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

  // unary := ('-' | '+') unary | postfix
  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.OR2([{ ALT: () => this.CONSUME(T.Minus) }, { ALT: () => this.CONSUME(T.Plus) }]);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  // postfix := primary ('.' nameOrKeyword)*
  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.SUBRULE(this.nameOrKeyword);
    });
  });

  // primary := caseExpression | castExpression | intervalLiteral | typedLiteral | literal
  //          | existsExpression | subquery | functionCall | columnReference | '(' expression ')'
  primary = this.RULE("primary", () => {
    this.OR([
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
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  // existsExpression := EXISTS subquery
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

  // functionCall := (identifier | GROUPING | LEFT | RIGHT | REGEXP) '(' ((DISTINCT | ALL)? functionArguments)? ')' nullsOption? (OVER windowSpec)?
  //   (functionArguments takes the FROM/FOR/IN call forms: extract(HOUR FROM ts), substring(s FROM 2 FOR 3);
  //   grouping(…) is a function too, though GROUPING is a keyword: GROUPING SETS)
  functionCall = this.RULE("functionCall", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.identifier) },
      { ALT: () => this.CONSUME(T.Grouping) },
      { ALT: () => this.CONSUME(T.Left) },
      { ALT: () => this.CONSUME(T.Right) },
      { ALT: () => this.CONSUME(T.Regexp) },
    ]);
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.OPTION2(() => this.OR2([{ ALT: () => this.CONSUME(T.Distinct) }, { ALT: () => this.CONSUME(T.All) }]));
      this.SUBRULE(this.functionArguments);
    });
    this.CONSUME(T.RParen);
    this.OPTION3(() => this.SUBRULE(this.nullsOption));
    this.OPTION4(() => {
      this.CONSUME(T.Over);
      this.SUBRULE(this.windowSpec);
    });
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
            { ALT: () => this.MANY(() => { this.CONSUME(T.Comma); this.SUBRULE2(this.functionArgument); }) },
          ]);
        },
      },
    ]);
  });

  // functionArgument := expression (AS nameOrKeyword)?          (struct(x AS n))
  functionArgument = this.RULE("functionArgument", () => {
    this.SUBRULE(this.expression);
    this.OPTION(() => { this.CONSUME(T.As); this.SUBRULE(this.nameOrKeyword); });
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

/** The parser, built once per process (chevrotain parsers are reusable: set `input`, call a rule). */
export const sqlParser = new SqlParser();

export type { CstNode };
