import * as T from "../tokens.ts";
import { QueryRules } from "./query-rules.ts";

/**
 * Statements about tables and views: CREATE TABLE/VIEW, INSERT, DROP, CACHE/UNCACHE, and the
 * clauses they share (column definitions, OPTIONS). A table or view is named by
 * identifierReference: a (qualified) name, or Spark 3.5's identifier clause.
 */
export abstract class TableStatementRules extends QueryRules {
  // identifierReference := IDENTIFIER '(' expression ')' | qualifiedName
  identifierReference = this.RULE("identifierReference", () => {
    this.OR([
      {
        // IDENTIFIER is not a keyword: a table may be called identifier.
        GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image.toUpperCase() === "IDENTIFIER" && this.LA(2).tokenType === T.LParen,
        IGNORE_AMBIGUITIES: true,
        ALT: () => {
          this.CONSUME(T.Identifier, { LABEL: "identifierWord" });
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.qualifiedName) },
    ]);
  });

  // cacheStatement := CACHE LAZY? TABLE identifierReference (OPTIONS '(' optionItem (',' optionItem)* ')')? (AS? query)?
  cacheStatement = this.RULE("cacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "cacheWord" });
    this.OPTION(() => this.CONSUME2(T.Identifier, { LABEL: "lazyWord" }));
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
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

  // uncacheStatement := UNCACHE TABLE (IF EXISTS)? identifierReference
  uncacheStatement = this.RULE("uncacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "uncacheWord" });
    this.CONSUME(T.Table);
    this.OPTION(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
    this.SUBRULE(this.identifierReference);
  });

  // clearCacheStatement := CLEAR CACHE
  clearCacheStatement = this.RULE("clearCacheStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "clearWord" });
    this.CONSUME2(T.Identifier, { LABEL: "cacheWord" });
  });

  // createStatement := CREATE (OR REPLACE)? ( GLOBAL? (TEMPORARY | TEMP)? VIEW (IF NOT EXISTS)? identifierReference (identifierList? AS query | viewUsing)
  //                                         | TABLE (IF NOT EXISTS)? identifierReference ('(' columnDefinition (',' columnDefinition)* ')')?
  //                                           (USING qualifiedName)? (OPTIONS '(' optionItem (',' optionItem)* ')' | LOCATION StringLiteral | partitionedBy
//                                                                   | tableProperties | COMMENT StringLiteral)*
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
          this.SUBRULE(this.identifierReference);
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
          this.SUBRULE2(this.identifierReference);
          this.OPTION5(() => {
            this.CONSUME(T.LParen);
            this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.columnDefinition) });
            this.CONSUME(T.RParen);
          });
          // Without USING: spark.sql.sources.default (parquet).
          this.OPTION6(() => { this.CONSUME(T.Using); this.SUBRULE(this.qualifiedName, { LABEL: "format" }); });
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
            {
              GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image.toUpperCase() === "PARTITIONED",
              IGNORE_AMBIGUITIES: true,
              ALT: () => this.SUBRULE(this.partitionedBy),
            },
            {
              GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image.toUpperCase() === "TBLPROPERTIES",
              IGNORE_AMBIGUITIES: true,
              ALT: () => this.SUBRULE(this.tableProperties),
            },
            {
              GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image.toUpperCase() === "COMMENT",
              IGNORE_AMBIGUITIES: true,
              ALT: () => { this.CONSUME(T.Identifier, { LABEL: "commentWord" }); this.CONSUME2(T.StringLiteral, { LABEL: "comment" }); },
            },
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

  // partitionedBy := PARTITIONED BY '(' partitionColumn (',' partitionColumn)* ')'
  partitionedBy = this.RULE("partitionedBy", () => {
    this.CONSUME(T.Identifier, { LABEL: "partitionedWord" });
    this.CONSUME(T.By);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.partitionColumn) });
    this.CONSUME(T.RParen);
  });

  // partitionColumn := identifier (transformArguments | dataType)?
  //   (`p`: a column of the table; `p STRING`: a column added to it; `years(ts)`: Spark's partition transform)
  partitionColumn = this.RULE("partitionColumn", () => {
    this.SUBRULE(this.identifier);
    this.OPTION(() => this.OR([
      { ALT: () => this.SUBRULE(this.transformArguments) },
      { ALT: () => this.SUBRULE(this.dataType) },
    ]));
  });

  // transformArguments := '(' transformArgument (',' transformArgument)* ')'
  transformArguments = this.RULE("transformArguments", () => {
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.transformArgument) });
    this.CONSUME(T.RParen);
  });

  // transformArgument := qualifiedName | literal
  transformArgument = this.RULE("transformArgument", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.qualifiedName) },
      { ALT: () => this.SUBRULE(this.literal) },
    ]);
  });

  // partitionSpec := PARTITION '(' partitionValue (',' partitionValue)* ')'
  partitionSpec = this.RULE("partitionSpec", () => {
    this.CONSUME(T.Partition);
    this.CONSUME(T.LParen);
    this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.partitionValue) });
    this.CONSUME(T.RParen);
  });

  // partitionValue := identifier ('=' additive)?      (`p='x'`: a static partition; `p`: a dynamic one)
  partitionValue = this.RULE("partitionValue", () => {
    this.SUBRULE(this.identifier);
    this.OPTION(() => { this.CONSUME(T.Eq); this.SUBRULE(this.additive); });
  });

  // viewUsing := ('(' columnDefinition (',' columnDefinition)* ')')? USING qualifiedName (OPTIONS '(' optionItem (',' optionItem)* ')')?
  // Spark's createTempViewUsing: a temporary view over a data source.
  viewUsing = this.RULE("viewUsing", () => {
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.columnDefinition) });
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Using);
    this.SUBRULE(this.qualifiedName, { LABEL: "format" });
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

  // columnDefinition := identifier dataType (NOT NULL)? (COMMENT StringLiteral)?
  columnDefinition = this.RULE("columnDefinition", () => {
    this.SUBRULE(this.identifier);
    this.SUBRULE(this.dataType);
    this.OPTION(() => { this.CONSUME(T.Not); this.CONSUME(T.Null); });
    this.OPTION2({
      GATE: () => this.LA(1).tokenType === T.Identifier && this.LA(1).image.toUpperCase() === "COMMENT",
      DEF: () => { this.CONSUME(T.Identifier, { LABEL: "commentWord" }); this.CONSUME(T.StringLiteral, { LABEL: "comment" }); },
    });
  });

  // tableProperties := TBLPROPERTIES '(' optionItem (',' optionItem)* ')'
  tableProperties = this.RULE("tableProperties", () => {
    this.CONSUME(T.Identifier, { LABEL: "tblpropertiesWord" });
    this.CONSUME(T.LParen);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionItem) });
    this.CONSUME(T.RParen);
  });

  // propertyKey := StringLiteral | qualifiedName
  propertyKey = this.RULE("propertyKey", () => {
    this.OR([{ ALT: () => this.CONSUME(T.StringLiteral) }, { ALT: () => this.SUBRULE(this.qualifiedName) }]);
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

  // insertStatement := INSERT (INTO | OVERWRITE) TABLE? identifierReference partitionSpec? (identifierList | BY NAME)? query
  insertStatement = this.RULE("insertStatement", () => {
    this.CONSUME(T.Insert);
    this.OR([{ ALT: () => this.CONSUME(T.Into) }, { ALT: () => this.CONSUME(T.Overwrite) }]);
    this.OPTION(() => this.CONSUME(T.Table));
    this.SUBRULE(this.identifierReference);
    this.OPTION4(() => this.SUBRULE(this.partitionSpec));
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

  // dropStatement := DROP (TABLE | VIEW) (IF EXISTS)? identifierReference
  dropStatement = this.RULE("dropStatement", () => {
    this.CONSUME(T.Drop);
    this.OR([{ ALT: () => this.CONSUME(T.Table) }, { ALT: () => this.CONSUME(T.View) }]);
    this.OPTION(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
    this.SUBRULE(this.identifierReference);
  });
}
