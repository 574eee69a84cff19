import type { RecordBatch } from "apache-arrow";
import { sql } from "kysely";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import { rowsToBatch } from "../../columnar/values.ts";
import { ConnectorError } from "../../common/errors.ts";
import { StructType, type DataType } from "../../types/data-types.ts";
import { parseSchema } from "../../types/ddl.ts";
import type { Offset, ReadRequest, Source, SourceProvider } from "../source.ts";
import { describeTableSync } from "./describe-table-sync.ts";
import { dialectFor } from "./dialects.ts";
import type { AnyDb, DbColumn, JdbcDialect } from "./jdbc-dialect.ts";
import { jdbcReadOptions, type JdbcOptions } from "./jdbc-options.ts";
import { redactSecrets } from "./jdbc-url.ts";
import { withRetries } from "../retry.ts";
import { driverValue, UnreadableValue } from "./read-values.ts";

/** How each column's driver values become rivulet values, by column name. */
type Converters = ReadonlyMap<string, (v: unknown) => unknown>;

/**
 * `spark.read.format("jdbc")` / `spark.read.jdbc(url, table)`: a table of a database
 * as a bounded DataFrame (a dimension table to join a stream with). The schema comes
 * from the table's columns at load() time unless one is given, typed as Spark's dialect
 * types them; each read queries the table again (the table can change between reads,
 * so a stream joined with it sees its current rows each micro-batch, as in Spark).
 */
export function createJdbcSourceProvider(rawOptions: Readonly<Record<string, string>>, userSchema: StructType | null, bounded: boolean): SourceProvider {
  // A read (often a batch one) should not hang for the sink's 10 minutes on a wrong host or port.
  const options = jdbcReadOptions(rawOptions, "JDBC source", "30 seconds");
  if (!bounded) throw new ConnectorError(`Data source jdbc does not support streaming reads; read the table with spark.read.jdbc(url, table) and join the stream with it`);
  const dialect = dialectFor(options.target.dialect);
  const { schema, converters } = userSchema === null ? tableSchema(options, dialect) : { schema: userSchema, converters: new Map() };
  return {
    format: "jdbc",
    schema,
    details: `${options.target.redacted} ${options.table}`,
    supportsBatch: true,
    changesBetweenReads: true,
    createSource: () => new JdbcBatchSource(options, dialect, schema, converters),
  };
}

function tableSchema(options: JdbcOptions, dialect: JdbcDialect): { schema: StructType; converters: Converters } {
  const { target, table } = options;
  const where = `JDBC source ${target.redacted}`;
  const result = describeTableSync(target, table, options.subquery);
  if ("error" in result) {
    const detail = redactSecrets(result.error, [target.password]);
    if (result.kind === "access-denied") throw new ConnectorError(`${where}: access denied for user '${target.user ?? ""}': check the user and password (${detail})`);
    if (result.kind === "unknown-database") throw new ConnectorError(`${where}: database '${target.database}' does not exist (${detail})`);
    throw new ConnectorError(`${where}: cannot read the columns of ${options.subquery ? "query" : "table"} ${table}: ${detail}`);
  }
  if (result.columns.length === 0) throw new ConnectorError(`${where}: table ${table} does not exist`);
  const customTypes = customSchemaTypes(options.customSchema, where);
  const converters = new Map<string, (v: unknown) => unknown>();
  const fields = result.columns.map((c: DbColumn) => {
    const read = dialect.readColumn(c, options);
    if ("unsupported" in read) {
      throw new ConnectorError(`[UNRECOGNIZED_SQL_TYPE] Unrecognized SQL type - name: ${read.unsupported}, column: ${c.name} of table ${table} (${where}); select the table without it, or cast it to text in a view`);
    }
    const custom = customTypes.get(c.name.toLowerCase());
    converters.set(c.name, custom === undefined ? read.convert : customValue(custom));
    return { name: c.name, dataType: custom ?? read.type, nullable: c.nullable };
  });
  return { schema: new StructType(fields), converters };
}

/** Spark's `customSchema`: column name (lower-cased) → the type it is read as; columns it does not name keep theirs. */
function customSchemaTypes(text: string | null, where: string): Map<string, DataType> {
  const out = new Map<string, DataType>();
  if (text === null || text.trim() === "") return out;
  for (const f of parseSchema(text).fields) {
    const name = f.name.toLowerCase();
    if (out.has(name)) throw new ConnectorError(`${where}: [COLUMN_ALREADY_EXISTS] The column \`${name}\` already exists in option 'customSchema'.`);
    out.set(name, f.dataType);
  }
  return out;
}

/** A driver value read as a customSchema type (the JDBC getter of that type: getString, getDouble, …). */
function customValue(type: DataType): (v: unknown) => unknown {
  const convert = driverValue(type);
  if (type.kind === "string") return (v) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString("utf8") : String(v));
  if (type.kind === "decimal") return (v) => (v === null || v === undefined ? null : String(v));
  return convert;
}

/** `SELECT <columns> FROM (query) alias [WHERE predicate]`, the statement Spark sends for a derived table. */
async function selectFromDerived(db: AnyDb, derivedTable: string, names: readonly string[], predicate: string | null): Promise<Record<string, unknown>[]> {
  const columns = names.length === 0 ? sql`1 AS rivulet_row` : sql.join(names.map((n) => sql.id(n)));
  const where = predicate === null ? sql`` : sql` WHERE (${sql.raw(predicate)})`;
  const { rows } = await sql<Record<string, unknown>>`SELECT ${columns} FROM ${sql.raw(derivedTable)}${where}`.execute(db);
  return rows;
}

/** Keeps its pool between reads (a static side read every micro-batch) until stopped. */
class JdbcBatchSource implements Source {
  readonly description: string;
  #db: AnyDb | null = null;

  constructor(readonly options: JdbcOptions, readonly dialect: JdbcDialect, readonly schema: StructType, readonly converters: Converters) {
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
      this.#db ??= await this.dialect.connect(target);
      try {
        const db = this.#db;
        const read = (predicate: string | null): Promise<Record<string, unknown>[]> => this.options.subquery
          ? selectFromDerived(db, table, names, predicate)
          : predicate === null ? db.selectFrom(table).select(names).execute()
          : db.selectFrom(table).select(names).where(sql<boolean>`(${sql.raw(predicate)})`).execute();
        if (this.options.predicates === null) return await read(null);
        // One partition per WHERE clause, in order: their union (a row two clauses match comes twice, as in Spark).
        const parts: Record<string, unknown>[][] = [];
        for (const predicate of this.options.predicates) parts.push(await read(predicate));
        return parts.flat();
      } catch (error) {
        await this.#disconnect(); // the retry, or the next read, starts on a new pool
        throw error;
      }
    }).catch((error: unknown) => {
      const detail = redactSecrets(error instanceof Error ? error.message : String(error), [target.password]);
      throw new ConnectorError(`${this.description}: reading the table failed: ${detail}`, { cause: error });
    });
    const converters = schema.fields.map((f) => this.converters.get(f.name) ?? driverValue(f.dataType));
    const values = rows.map((r, i) => schema.fields.map((f, k) => {
      const v = (r as Record<string, unknown>)[f.name];
      try {
        return converters[k]!(v);
      } catch (error) {
        if (!(error instanceof UnreadableValue)) throw error;
        throw new ConnectorError(`${this.description} row ${i}, column ${f.name}: cannot read the value as ${f.dataType.kind}: ${error.message}`);
      }
    }));
    return [toRecordBatch(rowsToBatch(schema, values, this.description))];
  }

  async stop(): Promise<void> {
    await this.#disconnect();
  }

  async #disconnect(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    await db?.destroy().catch(() => {});
  }
}
