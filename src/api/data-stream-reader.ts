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
    // schema(null) or schema(undefined) means none, as Scala's schema(null).
    this.userSchema = typeof schema === "string" ? parseSchema(schema) : (schema ?? null);
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

/** `read.jdbc`'s connection properties (user, password, and any JDBC option). */
export type JdbcProperties = Record<string, string | number | boolean>;

export class DataFrameReader<M extends SessionMode = "local"> extends SourceReader<Row, M> {
  constructor(session: Session<M>) { super(session, false); }

  /**
   * A database table, with Spark's overloads of `read.jdbc`: `(url, table, properties)`;
   * `(url, table, predicates, properties)`, one partition per WHERE clause and the read their
   * union; `(url, table, columnName, lowerBound, upperBound, numPartitions, properties)`, the
   * partitioning options (checked as Spark does; the same rows). `properties` are options such
   * as user, password; the schema is the table's.
   */
  jdbc(url: string, table: string, properties?: JdbcProperties): DataFrame<M>;
  jdbc(url: string, table: string, predicates: readonly string[], properties?: JdbcProperties): DataFrame<M>;
  jdbc(url: string, table: string, columnName: string, lowerBound: number, upperBound: number, numPartitions: number, properties?: JdbcProperties): DataFrame<M>;
  jdbc(url: string, table: string, ...rest: unknown[]): DataFrame<M> {
    let reader = this.format("jdbc");
    if (Array.isArray(rest[0])) {
      reader = reader.options((rest[1] ?? {}) as JdbcProperties).option("predicates", JSON.stringify(rest[0]));
    } else if (typeof rest[0] === "string") {
      const [columnName, lowerBound, upperBound, numPartitions, properties] = rest as [string, number, number, number, JdbcProperties | undefined];
      reader = reader.options(properties ?? {}).option("partitionColumn", columnName).option("lowerBound", lowerBound)
        .option("upperBound", upperBound).option("numPartitions", numPartitions);
    } else {
      reader = reader.options((rest[0] ?? {}) as JdbcProperties);
    }
    return reader.option("url", url).option("dbtable", table).load();
  }
}

export class DataStreamReader<M extends SessionMode = "local"> extends SourceReader<Row, M> {
  constructor(session: Session<M>) { super(session, true); }
}
