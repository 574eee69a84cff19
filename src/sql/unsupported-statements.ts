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
  ["ALTER", "TABLE"], ["ALTER", "VIEW"], ["ALTER", "DATABASE"], ["ALTER", "SCHEMA"], ["ALTER", "NAMESPACE"], ["ALTER"],
  ["REPLACE", "TABLE"], ["MERGE", "INTO"], ["UPDATE"], ["DELETE", "FROM"],
  ["ANALYZE", "TABLES"], ["ANALYZE", "TABLE"], ["REFRESH", "FUNCTION"], ["REFRESH"], ["MSCK", "REPAIR", "TABLE"], ["REPAIR", "TABLE"],
  ["LOAD", "DATA"], ["ADD", "FILE"], ["ADD", "FILES"], ["ADD", "JAR"], ["ADD", "JARS"], ["ADD", "ARCHIVE"], ["ADD", "ARCHIVES"],
  ["LIST", "FILE"], ["LIST", "FILES"], ["LIST", "JAR"], ["LIST", "JARS"], ["LIST", "ARCHIVE"], ["LIST", "ARCHIVES"],
  ["COMMENT", "ON"],
  ["SHOW", "CREATE", "TABLE"], ["SHOW", "TBLPROPERTIES"], ["SHOW", "TABLE", "EXTENDED"], ["SHOW", "CATALOGS"],
  ["SHOW", "CURRENT", "NAMESPACE"], ["SHOW", "USER", "FUNCTIONS"], ["SHOW", "SYSTEM", "FUNCTIONS"], ["SHOW", "ALL", "FUNCTIONS"],
  ["DESCRIBE", "DATABASE"], ["DESCRIBE", "SCHEMA"], ["DESCRIBE", "NAMESPACE"], ["DESCRIBE", "CATALOG"], ["DESC", "DATABASE"], ["DESC", "SCHEMA"], ["DESC", "NAMESPACE"], ["DESC", "CATALOG"],
  ["INSERT", "OVERWRITE", "LOCAL", "DIRECTORY"], ["INSERT", "OVERWRITE", "DIRECTORY"],
  ["DECLARE"], ["EXECUTE", "IMMEDIATE"], ["GRANT"], ["REVOKE"], ["LOCK"], ["UNLOCK"], ["EXPORT"], ["IMPORT"],
];

/** Forms rivulet runs that begin as a shorter unsupported one does (REFRESH TABLE, not REFRESH 'path'). */
const RUN: readonly (readonly string[])[] = [["REFRESH", "TABLE"]];

export class UnsupportedStatementError extends ParseError {
  constructor(readonly statement: string, at: IToken) {
    super(`[UNSUPPORTED_FEATURE.STATEMENT] The feature is not supported: the statement ${statement} (rivulet runs queries, CREATE TABLE/VIEW, INSERT, CACHE TABLE, SET, RESET, SHOW, DESCRIBE, USE, EXPLAIN, REFRESH TABLE, TRUNCATE TABLE, DROP TABLE/VIEW).`, at.startLine ?? 1, at.startColumn ?? 1);
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
    const form = UNSUPPORTED.find((words) => words.every((w, k) => tokens[i + k]?.image.toUpperCase() === w));
    if (form !== undefined) throw new UnsupportedStatementError(form.join(" "), t);
  }
}
