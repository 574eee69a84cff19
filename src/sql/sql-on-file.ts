import { resolveSourceProvider } from "../connectors/sources/index.ts";
import { withTimeZone } from "../connectors/sources/source-options.ts";
import type { SourceConf } from "../connectors/sources/streaming-schema-inference.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import { scan } from "../plan/plan-builder.ts";
import { FILE_TABLE_FORMATS } from "./table-location.ts";

/**
 * Spark's SQL on files (ResolveSQLOnFile): a table name `format.path`, such as
 * ``json.`/logs/2026-*` ``, reads the files at that path (a file, a directory or a glob) with
 * that file format. Null when the name is not of that form. A path that matches nothing is
 * Spark's [PATH_NOT_FOUND].
 */
export function sqlOnFile(name: string, asStream: boolean, sessionTimeZone: string, conf?: SourceConf): LogicalPlan | null {
  const dot = name.indexOf(".");
  if (dot <= 0 || dot === name.length - 1) return null;
  const format = name.slice(0, dot).toLowerCase();
  if (!FILE_TABLE_FORMATS.includes(format)) return null;
  const provider = resolveSourceProvider(format, withTimeZone(format, {}, sessionTimeZone), [name.slice(dot + 1)], null, !asStream, conf);
  return scan(provider, asStream);
}
