import * as T from "../tokens.ts";
import { TableStatementRules } from "./table-statement-rules.ts";

/**
 * Statements that change or describe a defined table or view rather than its rows: ALTER
 * TABLE/VIEW, SHOW CREATE TABLE, SHOW TBLPROPERTIES, ANALYZE TABLE, [MSCK] REPAIR TABLE, and
 * INSERT OVERWRITE DIRECTORY. Their words (ALTER, RENAME, TO, ADD, UNSET, RECOVER, ANALYZE,
 * COMPUTE, …) are non-reserved in Spark: identifiers here, recognised by their text.
 */
export abstract class AlterStatementRules extends TableStatementRules {
  /** Whether token `k` ahead is the identifier `word` (case-insensitive). */
  protected isWord(k: number, word: string): boolean {
    const t = this.LA(k);
    return t.tokenType === T.Identifier && t.image.toUpperCase() === word;
  }

  // alterStatement := ALTER (TABLE | VIEW) identifierReference
  //   ( RENAME TO identifierReference
  //   | ADD (COLUMNS | COLUMN) ('(' columnDefinition (',' columnDefinition)* ')' | columnDefinition)
  //   | ADD ifNotExists? (partitionSpec (LOCATION StringLiteral)?)+
  //   | DROP (IF EXISTS)? partitionSpec (',' partitionSpec)* PURGE?
  //   | SET tableProperties | UNSET TBLPROPERTIES (IF EXISTS)? '(' propertyKey (',' propertyKey)* ')'
  //   | SET LOCATION StringLiteral | RECOVER PARTITIONS | AS query )
  alterStatement = this.RULE("alterStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "alterWord" });
    this.OR([{ ALT: () => this.CONSUME(T.Table) }, { ALT: () => this.CONSUME(T.View) }]);
    this.SUBRULE(this.identifierReference);
    this.OR2({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.isWord(1, "RENAME"),
          ALT: () => {
            this.CONSUME2(T.Identifier, { LABEL: "renameWord" });
            this.CONSUME3(T.Identifier, { LABEL: "toWord" });
            this.SUBRULE2(this.identifierReference, { LABEL: "newName" });
          },
        },
        {
          GATE: () => this.isWord(1, "ADD") && (this.LA(2).tokenType === T.Columns || this.isWord(2, "COLUMN")),
          ALT: () => {
            this.CONSUME4(T.Identifier, { LABEL: "addWord" });
            this.OR3([{ ALT: () => this.CONSUME(T.Columns) }, { ALT: () => this.CONSUME5(T.Identifier, { LABEL: "columnWord" }) }]);
            this.OR4([
              {
                ALT: () => {
                  this.CONSUME(T.LParen);
                  this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.columnDefinition) });
                  this.CONSUME(T.RParen);
                },
              },
              { ALT: () => this.SUBRULE2(this.columnDefinition) },
            ]);
          },
        },
        {
          GATE: () => this.isWord(1, "ADD"),
          ALT: () => {
            this.CONSUME6(T.Identifier, { LABEL: "addWord" });
            this.OPTION(() => this.SUBRULE(this.ifNotExists));
            this.AT_LEAST_ONE(() => {
              this.SUBRULE(this.partitionSpec);
              this.OPTION2(() => { this.CONSUME(T.Location); this.CONSUME(T.StringLiteral, { LABEL: "partitionLocation" }); });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Drop);
            this.OPTION3(() => { this.CONSUME(T.If); this.CONSUME(T.Exists); });
            this.AT_LEAST_ONE_SEP2({ SEP: T.Comma, DEF: () => this.SUBRULE2(this.partitionSpec) });
            this.OPTION4({ GATE: () => this.isWord(1, "PURGE"), DEF: () => this.CONSUME7(T.Identifier, { LABEL: "purgeWord" }) });
          },
        },
        {
          GATE: () => this.LA(1).tokenType === T.SetKw && this.LA(2).tokenType === T.Location,
          ALT: () => { this.CONSUME(T.SetKw); this.CONSUME2(T.Location); this.CONSUME2(T.StringLiteral, { LABEL: "location" }); },
        },
        { ALT: () => { this.CONSUME2(T.SetKw); this.SUBRULE(this.tableProperties); } },
        {
          GATE: () => this.isWord(1, "UNSET"),
          ALT: () => {
            this.CONSUME8(T.Identifier, { LABEL: "unsetWord" });
            this.CONSUME9(T.Identifier, { LABEL: "tblpropertiesWord" });
            this.OPTION5(() => { this.CONSUME2(T.If); this.CONSUME2(T.Exists); });
            this.CONSUME2(T.LParen);
            this.AT_LEAST_ONE_SEP3({ SEP: T.Comma, DEF: () => this.SUBRULE(this.propertyKey) });
            this.CONSUME2(T.RParen);
          },
        },
        {
          GATE: () => this.isWord(1, "RECOVER"),
          ALT: () => { this.consume(10, T.Identifier, { LABEL: "recoverWord" }); this.consume(11, T.Identifier, { LABEL: "partitionsWord" }); },
        },
        { ALT: () => { this.CONSUME(T.As); this.SUBRULE(this.query); } },
      ],
    });
  });

  // showCreateTableStatement := SHOW CREATE TABLE identifierReference (AS SERDE)?
  showCreateTableStatement = this.RULE("showCreateTableStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Create);
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => { this.CONSUME(T.As); this.CONSUME(T.Identifier, { LABEL: "serdeWord" }); });
  });

  // showTblPropertiesStatement := SHOW TBLPROPERTIES identifierReference ('(' propertyKey ')')?
  showTblPropertiesStatement = this.RULE("showTblPropertiesStatement", () => {
    this.CONSUME(T.Show);
    this.CONSUME(T.Identifier, { LABEL: "tblpropertiesWord" });
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.SUBRULE(this.propertyKey);
      this.CONSUME(T.RParen);
    });
  });

  // analyzeStatement := ANALYZE TABLE identifierReference partitionSpec? COMPUTE STATISTICS
  //                     (NOSCAN | FOR COLUMNS identifier (',' identifier)* | FOR ALL COLUMNS)?
  analyzeStatement = this.RULE("analyzeStatement", () => {
    this.CONSUME(T.Identifier, { LABEL: "analyzeWord" });
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
    this.OPTION(() => this.SUBRULE(this.partitionSpec));
    this.CONSUME2(T.Identifier, { LABEL: "computeWord" });
    this.CONSUME3(T.Identifier, { LABEL: "statisticsWord" });
    this.OPTION2(() => this.OR([
      { ALT: () => this.CONSUME4(T.Identifier, { LABEL: "noscanWord" }) },
      {
        ALT: () => {
          this.CONSUME(T.For);
          this.OR2([
            { ALT: () => { this.CONSUME(T.All); this.CONSUME(T.Columns, { LABEL: "allColumns" }); } },
            {
              ALT: () => {
                this.CONSUME2(T.Columns);
                this.AT_LEAST_ONE_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.identifier, { LABEL: "column" }) });
              },
            },
          ]);
        },
      },
    ]));
  });

  // repairTableStatement := MSCK? REPAIR TABLE identifierReference ((ADD | DROP | SYNC) PARTITIONS)?
  repairTableStatement = this.RULE("repairTableStatement", () => {
    this.OPTION({ GATE: () => this.isWord(1, "MSCK"), DEF: () => this.CONSUME(T.Identifier, { LABEL: "msckWord" }) });
    this.CONSUME2(T.Identifier, { LABEL: "repairWord" });
    this.CONSUME(T.Table);
    this.SUBRULE(this.identifierReference);
    this.OPTION2(() => {
      this.OR([
        { ALT: () => this.CONSUME3(T.Identifier, { LABEL: "repairMode" }) },
        { ALT: () => this.CONSUME(T.Drop, { LABEL: "repairMode" }) },
      ]);
      this.CONSUME4(T.Identifier, { LABEL: "partitionsWord" });
    });
  });

  // insertDirectoryStatement := INSERT OVERWRITE LOCAL? DIRECTORY StringLiteral? USING qualifiedName
  //                             (OPTIONS '(' optionItem (',' optionItem)* ')')? query
  insertDirectoryStatement = this.RULE("insertDirectoryStatement", () => {
    this.CONSUME(T.Insert);
    this.CONSUME(T.Overwrite);
    this.OPTION({ GATE: () => this.isWord(1, "LOCAL"), DEF: () => this.CONSUME(T.Identifier, { LABEL: "localWord" }) });
    this.CONSUME2(T.Identifier, { LABEL: "directoryWord" });
    this.OPTION2(() => this.CONSUME(T.StringLiteral, { LABEL: "path" }));
    this.CONSUME(T.Using);
    this.SUBRULE(this.qualifiedName, { LABEL: "format" });
    this.OPTION3(() => {
      this.CONSUME(T.Options);
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.optionItem) });
      this.CONSUME(T.RParen);
    });
    this.SUBRULE(this.query);
  });

  /** Whether the statement ahead starts INSERT OVERWRITE [LOCAL] DIRECTORY. */
  protected isInsertDirectory(): boolean {
    return this.LA(1).tokenType === T.Insert && this.LA(2).tokenType === T.Overwrite
      && (this.isWord(3, "DIRECTORY") || (this.isWord(3, "LOCAL") && this.isWord(4, "DIRECTORY")));
  }
}
