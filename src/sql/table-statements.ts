import type { CstNode } from "chevrotain";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { TableDefinition } from "../session/catalog.ts";
import type { Session } from "../session/session.ts";
import type { StructField } from "../types/data-types.ts";
import { alterStatement } from "./alter-table.ts";
import { analyzeTable } from "./analyze-table.ts";
import { node, token, type Children } from "./cst.ts";
import { insertOverwriteDirectory } from "./insert-directory.ts";
import { unquoteString } from "./literals.ts";
import type { PartitionSpec } from "./partitioned-table.ts";
import { repairTable } from "./partition-ddl.ts";
import { showCreateTable } from "./show-create-table.ts";
import type { StatementResult } from "./sql-statement.ts";
import { checkTableProperties, showTableProperties } from "./table-properties.ts";

/** What the statements below use of the StatementRunner (sql-statement.ts) that parsed them. */
export interface StatementTools {
  readonly session: Session;
  readonly text: string;
  /** The statement's first identifierReference, as a name. */
  tableName(ctx: Children): string;
  referenceName(reference: CstNode): string;
  identifierText(n: CstNode): string;
  nameText(n: CstNode): string;
  columnDefinition(c: CstNode): StructField;
  /** `OPTIONS (…)`'s (or TBLPROPERTIES') items of `ctx`, keys as written, values as text. */
  options(ctx: Children): Record<string, string>;
  partitionSpec(spec: CstNode, table: TableDefinition): PartitionSpec;
  query(n: CstNode): LogicalPlan;
  rows(schema: string, rows: readonly Record<string, unknown>[]): StatementResult;
  empty(): StatementResult;
}

/** Runs ALTER TABLE/VIEW, SHOW CREATE TABLE, SHOW TBLPROPERTIES, ANALYZE TABLE, [MSCK] REPAIR TABLE, INSERT OVERWRITE DIRECTORY. */
export function runTableStatement(kind: string, ctx: Children, tools: StatementTools): StatementResult {
  switch (kind) {
    case "alterStatement": return alterStatement(ctx, tools);
    case "showCreateTableStatement": return showCreateTable(ctx, tools);
    case "showTblPropertiesStatement": return showTableProperties(ctx, tools);
    case "analyzeStatement": return analyzeTable(ctx, tools);
    case "repairTableStatement": return repairTable(ctx, tools);
    case "insertDirectoryStatement": return insertOverwriteDirectory(ctx, tools);
    default: throw new Error(`not a table statement: ${kind}`);
  }
}

/** TBLPROPERTIES (…) as text keys and values; undefined without the clause. */
export function tableProperties(clause: CstNode | undefined, options: (ctx: Children) => Record<string, string>): Record<string, string> | undefined {
  const properties = clause === undefined ? undefined : options(clause.children);
  checkTableProperties(properties);
  return properties;
}

/** The comments of `c INT COMMENT '…'` column definitions, by lower-case column name. */
export function columnComments(definitions: readonly CstNode[], identifierText: (n: CstNode) => string): Record<string, string> {
  const comments: Record<string, string> = {};
  for (const c of definitions) {
    const comment = token(c.children, "comment");
    if (comment !== undefined) comments[identifierText(node(c.children, "identifier")!).toLowerCase()] = unquoteString(comment.image);
  }
  return comments;
}

/** `spark_catalog`.`default`.`t`: a table as Spark's errors name it. */
export function qualifiedTableName(name: string): string {
  return `\`spark_catalog\`.\`default\`.\`${name.replace(/`/g, "``")}\``;
}
