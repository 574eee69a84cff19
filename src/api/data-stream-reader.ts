import { parseSchema } from "../types/ddl.ts";
import type { StructType } from "../types/data-types.ts";
import type { Session } from "../session/session.ts";
import type { Dataset, DataFrame, Row } from "./dataset.ts";
import type { TypedStruct } from "../types/schema-builder.ts";
import type { SessionMode } from "./session-mode.ts";

/**
 * The builder behind `spark.read` (bounded) and `spark.readStream` (unbounded): the same
 * formats and options, as in Spark's DataFrameReader / DataStreamReader.
 */
export class SourceReader<T = Row, M extends SessionMode = "local"> {
  protected formatName: string | null = null;
  protected userSchema: StructType | null = null;
  protected userSchemaText: string | null = null;
  protected readonly opts: Record<string, string> = {};

  constructor(readonly session: Session<M>, readonly streaming: boolean) {}

  format(source: string): this { this.formatName = source; return this; }

  /**
   * The source's schema: a StructType, a DDL string, or a TypedStruct (`types.struct`),
   * which makes the result a typed Dataset of its row type.
   */
  schema<U>(schema: TypedStruct<U>): SourceReader<U, M>;
  schema(schema: StructType | string): this;
  schema(schema: StructType | string): SourceReader<any, M> {
    this.userSchema = typeof schema === "string" ? parseSchema(schema) : schema;
    this.userSchemaText = typeof schema === "string" ? schema : null;
    return this;
  }

  option(key: string, value: string | number | boolean): this { this.opts[key] = String(value); return this; }

  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }

  load(...paths: string[]): Dataset<T, M> {
    const read = { format: this.formatName, schema: this.userSchema, schemaText: this.userSchemaText, options: { ...this.opts }, paths };
    return this.session.backend.readSource(read, this.streaming) as Dataset<T, M>;
  }

  json(...paths: string[]): Dataset<T, M> { return this.format("json").load(...paths); }
  csv(...paths: string[]): Dataset<T, M> { return this.format("csv").load(...paths); }
  text(...paths: string[]): Dataset<T, M> { return this.format("text").load(...paths); }
  parquet(...paths: string[]): Dataset<T, M> { return this.format("parquet").load(...paths); }

  /** Reads a table of the catalog (temp view, memory-sink table). */
  table(name: string): DataFrame<M> {
    return this.session.backend.readTable(name, { ...this.opts }, this.streaming) as DataFrame<M>;
  }
}

export class DataFrameReader<M extends SessionMode = "local"> extends SourceReader<Row, M> {
  constructor(session: Session<M>) { super(session, false); }

  /**
   * A database table (Spark's `read.jdbc(url, table, properties)`): `properties` are
   * options such as user, password; the schema is the table's.
   */
  jdbc(url: string, table: string, properties: Record<string, string | number | boolean> = {}): DataFrame<M> {
    return this.format("jdbc").options(properties).option("url", url).option("dbtable", table).load();
  }
}

export class DataStreamReader<M extends SessionMode = "local"> extends SourceReader<Row, M> {
  constructor(session: Session<M>) { super(session, true); }
}
