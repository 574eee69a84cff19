import { ConfKeys, RuntimeConfig } from "../common/config.ts";
import { AnalysisError } from "../common/errors.ts";
import { didYouMean } from "../common/suggest.ts";
import { rowsToBatch } from "../columnar/values.ts";
import { withTimeZone } from "../connectors/sources/source-options.ts";
import { resolveSourceProvider } from "../connectors/sources/index.ts";
import { shortFormatName } from "../connectors/format-names.ts";
import { insertableRelation } from "./insertable-relations.ts";
import type { DataFrame, Dataset } from "../api/dataset.ts";
import { LocalDataset } from "../api/local/local-dataset.ts";
import * as build from "../plan/plan-builder.ts";
import { runSql } from "../sql/sql-script.ts";
import { SqlParameters } from "../sql/sql-parameters.ts";
import { toExpr } from "../api/column.ts";
import type { Expression } from "../expr/expression.ts";
import type { StructType } from "../types/data-types.ts";
import { parseSchema } from "../types/ddl.ts";
import type { Session } from "./session.ts";
import { sqlArgumentsOf, type SessionBackend, type SourceRead, type SqlArgs } from "./session-backend.ts";
import { StreamingQueryManager } from "./streaming-query-manager.ts";
import { Catalog } from "./catalog.ts";

const FILE_FORMATS = ["json", "csv", "text", "parquet"];

/** Spark's `classic` side: plans resolved at once against this process's catalog and sources, run here. */
export class LocalSessionBackend implements SessionBackend {
  readonly isRemote = false;
  readonly streams = new StreamingQueryManager();
  readonly catalog: Catalog;

  constructor(readonly session: Session) {
    this.catalog = new Catalog({
      timeZone: () => session.conf.get(ConfKeys.sessionTimeZone) ?? "UTC",
      conf: () => session.conf,
      table: (name) => this.readTable(name, {}, false),
    });
  }

  createConf(): RuntimeConfig {
    return new RuntimeConfig([], { localEngine: true });
  }

  requireLocal(): void {}

  readSource(read: SourceRead, streaming: boolean): Dataset<any> {
    const format = shortFormatName(read.format ?? "json");
    const paths = read.paths.length > 0 ? read.paths : read.options.path !== undefined ? [read.options.path] : [];
    if (FILE_FORMATS.includes(format) && paths.length === 0) {
      throw new AnalysisError(`'path' is not specified for the ${format} source: pass a directory to load() or .${format}()`);
    }
    const zone = this.session.conf.get(ConfKeys.sessionTimeZone) ?? "UTC";
    const provider = resolveSourceProvider(format, withTimeZone(format, { ...read.options }, zone), [...paths], read.schema, !streaming, this.session.conf);
    const plan = build.scan(provider, streaming);
    // A batch read of one directory or of a JDBC table: a temporary view of it is written by INSERT INTO, as in Spark.
    if (!streaming && paths.length <= 1) insertableRelation(plan, { name: "", format, options: paths.length === 1 ? { ...read.options, path: paths[0]! } : read.options, schema: read.schema });
    return new LocalDataset(this.session, plan);
  }

  readTable(name: string, _options: Readonly<Record<string, string>>, streaming: boolean | null): DataFrame {
    const catalog = this.catalog;
    // readStream.table(t): a defined table's source read unbounded (a file table's files as they come), as SQL's STREAM(t).
    const plan = streaming === true && catalog.tableDefinition(name) !== null ? catalog.lookupStream(name) : catalog.lookup(name);
    if (plan === null) throw new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found. Known tables: ${catalog.tableNames().join(", ") || "(none)"}.${didYouMean(name, catalog.tableNames())}`);
    if (streaming === true && !plan.isStreaming) throw new AnalysisError(`table ${name} is not a streaming source`);
    return new LocalDataset(this.session, plan);
  }

  createDataFrame(rows: readonly unknown[], schema: StructType | string): Dataset<any> {
    const s = typeof schema === "string" ? parseSchema(schema) : schema;
    const batch = rowsToBatch(s, rows, "createDataFrame");
    return new LocalDataset(this.session, build.localRelation("LocalRelation", s, () => [batch]));
  }

  range(start: number, end: number, step: number, numPartitions?: number): DataFrame {
    return new LocalDataset(this.session, build.range(start, end, step, numPartitions));
  }

  newSessionConnection(): undefined {
    return undefined;
  }

  sql(sqlText: string, args?: SqlArgs): DataFrame {
    const { named, positional } = sqlArgumentsOf(args);
    const asExpression = (v: unknown): Expression => toExpr(v);
    const params = new SqlParameters(
      sqlText,
      named === null ? null : new Map([...named].map(([k, v]) => [k, asExpression(v)])),
      positional === null ? null : positional.map(asExpression),
    );
    return runSql(this.session, sqlText, params);
  }

  async stop(): Promise<void> {
    await this.streams.stopAll();
  }
}
