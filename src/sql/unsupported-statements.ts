import type { IToken } from "chevrotain";
import { Semicolon } from "../../grammar/tokens.ts";
import { ParseError } from "../common/errors.ts";

/**
 * Statements of Spark SQL that rivulet does not run, by their first words: named in the error
 * (`[UNSUPPORTED_FEATURE.STATEMENT] … ALTER TABLE …`) at their line and column, rather than a
 * syntax error at whichever token the grammar stopped on. Longer forms first.
 */
const UNSUPPORTED: readonly (readonly string[])[] = [
  ["CREATE", "OR", "REPLACE", "TEMPORARY", "FUNCTION"], ["CREATE", "OR", "REPLACE", "FUNCTION"],
  ["CREATE", "TEMPORARY", "FUNCTION"], ["CREATE", "TEMPORARY", "TABLE"], ["CREATE", "EXTERNAL", "TABLE"],
  ["CREATE", "DATABASE"], ["CREATE", "SCHEMA"], ["CREATE", "NAMESPACE"], ["CREATE", "FUNCTION"], ["CREATE", "INDEX"], ["CREATE", "TABLE", "LIKE"],
  ["DROP", "TEMPORARY", "FUNCTION"], ["DROP", "DATABASE"], ["DROP", "SCHEMA"], ["DROP", "NAMESPACE"], ["DROP", "FUNCTION"], ["DROP", "INDEX"],
  ["ALTER", "DATABASE"], ["ALTER", "SCHEMA"], ["ALTER", "NAMESPACE"], ["ALTER", "MATERIALIZED", "VIEW"],
  ["REPLACE", "TABLE"], ["MERGE", "INTO"], ["UPDATE"], ["DELETE", "FROM"],
  ["ANALYZE", "TABLES"], ["REFRESH", "FUNCTION"], ["REFRESH"],
  ["LOAD", "DATA"], ["ADD", "FILE"], ["ADD", "FILES"], ["ADD", "JAR"], ["ADD", "JARS"], ["ADD", "ARCHIVE"], ["ADD", "ARCHIVES"],
  ["LIST", "FILE"], ["LIST", "FILES"], ["LIST", "JAR"], ["LIST", "JARS"], ["LIST", "ARCHIVE"], ["LIST", "ARCHIVES"],
  ["COMMENT", "ON"],
  ["SHOW", "TABLE", "EXTENDED"], ["SHOW", "CATALOGS"],
  ["SHOW", "CURRENT", "NAMESPACE"], ["SHOW", "USER", "FUNCTIONS"], ["SHOW", "SYSTEM", "FUNCTIONS"], ["SHOW", "ALL", "FUNCTIONS"],
  ["DESCRIBE", "DATABASE"], ["DESCRIBE", "SCHEMA"], ["DESCRIBE", "NAMESPACE"], ["DESCRIBE", "CATALOG"], ["DESC", "DATABASE"], ["DESC", "SCHEMA"], ["DESC", "NAMESPACE"], ["DESC", "CATALOG"],
  ["DECLARE"], ["EXECUTE", "IMMEDIATE"], ["GRANT"], ["REVOKE"], ["LOCK"], ["UNLOCK"], ["EXPORT"], ["IMPORT"],
];

/** Forms rivulet runs that begin as a shorter unsupported one does (REFRESH TABLE, not REFRESH 'path'). */
const RUN: readonly (readonly string[])[] = [["REFRESH", "TABLE"]];

export class UnsupportedStatementError extends ParseError {
  constructor(readonly statement: string, at: IToken, message?: string) {
    super(message ?? `[UNSUPPORTED_FEATURE.STATEMENT] The feature is not supported: the statement ${statement} (rivulet runs queries, CREATE TABLE/VIEW, ALTER TABLE/VIEW, INSERT, CACHE TABLE, SET, RESET, SHOW, DESCRIBE, USE, EXPLAIN, ANALYZE TABLE, REFRESH TABLE, REPAIR TABLE, TRUNCATE TABLE, DROP TABLE/VIEW).`, at.startLine ?? 1, at.startColumn ?? 1);
  }
}

/** Throws for the first statement of `tokens` (a script's) that is one rivulet does not run. */
export function checkStatements(tokens: readonly IToken[]): void {
  let start = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.tokenType === Semicolon) { start = true; continue; }
    if (!start) continue;
    start = false;
    if (RUN.some((words) => words.every((w, k) => tokens[i + k]?.image.toUpperCase() === w))) continue;
    if (isHiveFormatDirectoryInsert(tokens, i)) throw new UnsupportedStatementError("INSERT OVERWRITE DIRECTORY … (Hive format)", t);
    if (["TABLE", "VIEW"].includes(tokens[i + 1]?.image.toUpperCase() ?? "") && t.image.toUpperCase() === "ALTER") {
      checkAlterAction(tokens, i);
      continue;
    }
    const form = UNSUPPORTED.find((words) => words.every((w, k) => tokens[i + k]?.image.toUpperCase() === w));
    if (form !== undefined) throw new UnsupportedStatementError(form.join(" "), t);
  }
}

/** What ALTER TABLE and ALTER VIEW do in rivulet, by the words after the name. */
const ALTER_ACTIONS: Readonly<Record<"TABLE" | "VIEW", readonly (readonly string[])[]>> = {
  TABLE: [["RENAME", "TO"], ["ADD", "COLUMNS"], ["ADD", "COLUMN"], ["ADD", "PARTITION"], ["ADD", "IF"], ["DROP", "PARTITION"], ["DROP", "IF"],
    ["SET", "TBLPROPERTIES"], ["UNSET", "TBLPROPERTIES"], ["SET", "LOCATION"], ["RECOVER", "PARTITIONS"]],
  VIEW: [["RENAME", "TO"], ["AS"], ["SET", "TBLPROPERTIES"], ["UNSET", "TBLPROPERTIES"]],
};

/** Spark's ALTER TABLE forms that a v1 (session catalog) table refuses: UNSUPPORTED_FEATURE.TABLE_OPERATION. */
const V1_REFUSED = [["RENAME", "COLUMN"], ["DROP", "COLUMN"], ["DROP", "COLUMNS"], ["REPLACE", "COLUMNS"]];

/**
 * ALTER TABLE/VIEW name <action>: the actions rivulet runs go on to the grammar; the others are
 * named in the error. The name is skipped: parts and dots, or IDENTIFIER(…).
 */
function checkAlterAction(tokens: readonly IToken[], start: number): void {
  const kind = tokens[start + 1]!.image.toUpperCase() as "TABLE" | "VIEW";
  let i = start + 2;
  if (tokens[i]?.image.toUpperCase() === "IDENTIFIER" && tokens[i + 1]?.image === "(") {
    let depth = 0;
    for (i += 1; i < tokens.length; i++) {
      if (tokens[i]!.image === "(") depth++;
      else if (tokens[i]!.image === ")" && --depth === 0) { i++; break; }
    }
  } else {
    for (i += 1; tokens[i]?.image === "." && i + 1 < tokens.length; i += 2);
  }
  const words = [tokens[i], tokens[i + 1]].map((t) => (t === undefined || t.tokenType === Semicolon ? "" : t.image.toUpperCase()));
  if (words[0] === "") return;  // the grammar says what is missing
  if (ALTER_ACTIONS[kind].some((a) => a.every((w, k) => words[k] === w))) return;
  const form = `ALTER ${kind} … ${words.filter((w) => /^[A-Z_]+$/.test(w)).join(" ")}`.trim();
  if (kind === "TABLE" && V1_REFUSED.some((a) => a.every((w, k) => words[k] === w))) {
    const name = tokens[i - 1]!.image.replace(/^`|`$/g, "");
    const operation = words[0] === "REPLACE" ? "REPLACE COLUMNS" : `${words[0]} COLUMN`;
    throw new UnsupportedStatementError(form, tokens[start]!, `[UNSUPPORTED_FEATURE.TABLE_OPERATION] The feature is not supported: Table \`spark_catalog\`.\`default\`.\`${name}\` does not support ${operation}. Please check the current catalog and namespace to make sure the qualified table name is expected, and also check the catalog implementation which is configured by "spark.sql.catalog".`);
  }
  throw new UnsupportedStatementError(form, tokens[start]!);
}

/** INSERT OVERWRITE [LOCAL] DIRECTORY ['path'] without USING: Hive's ROW FORMAT / STORED AS, which needs Hive. */
function isHiveFormatDirectoryInsert(tokens: readonly IToken[], i: number): boolean {
  const word = (k: number): string => tokens[i + k]?.image.toUpperCase() ?? "";
  if (word(0) !== "INSERT" || word(1) !== "OVERWRITE") return false;
  let k = word(2) === "LOCAL" ? 3 : 2;
  if (word(k) !== "DIRECTORY") return false;
  k++;
  if (tokens[i + k]?.tokenType.name === "StringLiteral") k++;
  return word(k) !== "USING";
}
