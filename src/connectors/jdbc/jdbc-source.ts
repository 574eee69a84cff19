import type { RecordBatch } from "apache-arrow";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import { rowsToBatch } from "../../columnar/values.ts";
import { ConnectorError } from "../../common/errors.ts";
import { StructType, type DataType } from "../../types/data-types.ts";
import type { Offset, ReadRequest, Source, SourceProvider } from "../source.ts";
import { describeTableSync } from "./describe-table-sync.ts";
import { dialectFor } from "./dialects.ts";
import type { JdbcDialect } from "./jdbc-dialect.ts";
import { jdbcOptions, type JdbcOptions } from "./jdbc-options.ts";
import { redactSecrets } from "./jdbc-url.ts";
import { withRetries } from "../retry.ts";
import { dataTypeOfSql } from "./sql-types.ts";

/**
 * `spark.read.format("jdbc")` / `spark.read.jdbc(url, table)`: a table of a database
 * as a bounded DataFrame (a dimension table to join a stream with). The schema comes
 * from the table's columns at load() time unless one is given; each query run reads
 * the table once, only the columns it uses.
 */
export function createJdbcSourceProvider(rawOptions: Readonly<Record<string, string>>, userSchema: StructType | null, bounded: boolean): SourceProvider {
  // A read (often a batch one) should not hang for the sink's 10 minutes on a wrong host or port.
  const options = jdbcOptions(rawOptions, "JDBC source", "30 seconds");
  if (!bounded) throw new ConnectorError(`Data source jdbc does not support streaming reads; read the table with spark.read.jdbc(url, table) and join the stream with it`);
  const dialect = dialectFor(options.target.dialect);
  const schema = userSchema ?? tableSchema(options, dialect);
  return {
    format: "jdbc",
    schema,
    details: `${options.target.redacted} ${options.table}`,
    supportsBatch: true,
    createSource: () => new JdbcBatchSource(options, dialect, schema),
  };
}

function tableSchema(options: JdbcOptions, dialect: JdbcDialect): StructType {
  const { target, table } = options;
  const where = `JDBC source ${target.redacted}`;
  const result = describeTableSync(target, table);
  if ("error" in result) {
    const detail = redactSecrets(result.error, [target.password]);
    if (result.kind === "access-denied") throw new ConnectorError(`${where}: access denied for user '${target.user ?? ""}': check the user and password (${detail})`);
    if (result.kind === "unknown-database") throw new ConnectorError(`${where}: database '${target.database}' does not exist (${detail})`);
    throw new ConnectorError(`${where}: cannot read the columns of table ${table}: ${detail}`);
  }
  if (result.columns.length === 0) throw new ConnectorError(`${where}: table ${table} does not exist`);
  return new StructType(result.columns.map((c) => ({ name: c.name, dataType: dataTypeOfSql(c.dbType, dialect.name), nullable: c.nullable })));
}

class JdbcBatchSource implements Source {
  readonly description: string;

  constructor(readonly options: JdbcOptions, readonly dialect: JdbcDialect, readonly schema: StructType) {
    this.description = `JdbcSource[${options.target.redacted}, ${options.table}]`;
  }

  async latestOffset(): Promise<Offset | null> {
    return 0;
  }

  async getBatch(_start: Offset | null, _end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    const names = request?.columns ?? this.schema.fieldNames;
    const schema = new StructType(names.map((n) => this.schema.fields[this.schema.fieldIndex(n)]!));
    const { target, table, retry } = this.options;
    const rows = await withRetries(retry, (e) => this.dialect.classify(e) === "transient", async () => {
      const db = await this.dialect.connect(target);
      try {
        return await db.selectFrom(table).select(names).execute();
      } finally {
        await db.destroy().catch(() => {});
      }
    }).catch((error: unknown) => {
      const detail = redactSecrets(error instanceof Error ? error.message : String(error), [target.password]);
      throw new ConnectorError(`${this.description}: reading the table failed: ${detail}`, { cause: error });
    });
    const converters = schema.fields.map((f) => fromDb(f.dataType));
    const values = rows.map((r) => schema.fields.map((f, k) => converters[k]!((r as Record<string, unknown>)[f.name])));
    return [toRecordBatch(rowsToBatch(schema, values, this.description))];
  }

  async stop(): Promise<void> {}
}

/** A driver's value → what rowsToBatch takes for `type` (drivers return big integers and decimals as text, booleans as 0/1). */
function fromDb(type: DataType): (v: unknown) => unknown {
  switch (type.kind) {
    case "long":
      // Drivers return BIGINTs beyond ±2^53 as text (pg always): read the digits exactly.
      return (v) => (v === null || v === undefined ? null : typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === "boolean" ? Number(v) : typeof v === "bigint" ? v : Number(v));
    case "int": case "double":
      return (v) => (v === null || v === undefined ? null : typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number(v as string));
    case "boolean":
      return (v) => (v === null || v === undefined ? null : typeof v === "boolean" ? v : typeof v === "string" ? ["1", "t", "true"].includes(v.toLowerCase()) : Number(v) !== 0);
    default:
      return (v) => (v === undefined ? null : v);
  }
}
