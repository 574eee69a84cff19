import { rowsToBatch } from "../columnar/values.ts";
import { MemorySourceData } from "../connectors/sources/memory-source.ts";
import * as build from "../plan/plan-builder.ts";
import { parseSchema } from "../types/ddl.ts";
import type { StructType } from "../types/data-types.ts";
import type { TypedStruct } from "../types/schema-builder.ts";
import type { Session } from "../session/session.ts";
import type { Dataset, DataFrame } from "./dataset.ts";
import { LocalDataset } from "./local/local-dataset.ts";

let counter = 0;

/**
 * An in-memory stream for tests (Spark's MemoryStream, public here): add rows batch by
 * batch and watch a query process them.
 */
export class MemoryStream<T = Record<string, unknown>> {
  readonly #data: MemorySourceData;

  /** `schema` may be a TypedStruct (`types.struct`): then `T` is its row type. */
  constructor(readonly session: Session, schema: TypedStruct<T> | StructType | string) {
    session.backend.requireLocal("MemoryStream");
    this.#data = new MemorySourceData(typeof schema === "string" ? parseSchema(schema) : schema, `MemoryStream-${counter++}`);
  }

  get schema(): StructType {
    return this.#data.schema;
  }

  /** Adds one batch of rows (plain objects keyed by column name); returns its offset. */
  addData(rows: readonly T[] | T, ...more: T[]): number {
    const list = Array.isArray(rows) ? [...(rows as readonly T[]), ...more] : [rows as T, ...more];
    return this.#data.add(rowsToBatch(this.#data.schema, list, "MemoryStream.addData"));
  }

  toDF(): DataFrame {
    return new LocalDataset(this.session, build.scan(this.#data, true));
  }

  toDS(): Dataset<T> {
    return this.toDF() as unknown as Dataset<T>;
  }
}
