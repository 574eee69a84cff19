import {
  ArrayType, BinaryType, BooleanType, DateType, DoubleType, IntegerType, LongType, MapType, StringType, StructType,
  TimestampType, type DataType,
} from "./data-types.ts";

/**
 * A schema whose value is a rivulet StructType and whose TypeScript type carries the
 * row type (as zod or Kysely do for their schemas):
 *
 *     const Log = types.struct({ time: types.timestamp(), action: types.string(), bytes: types.long().nullable() });
 *     type Log = Infer<typeof Log>;   // { time: Date; action: string; bytes: number | null }
 *
 * The TypeScript type of each field is the value rivulet hands back for it (values.ts,
 * toExternal), so `collect()`, lambdas and `foreachBatch` see exactly these types:
 *
 *     types.string()     STRING      string
 *     types.boolean()    BOOLEAN     boolean
 *     types.int()        INT         number
 *     types.long()       BIGINT      number            (see the note below)
 *     types.bigint()     BIGINT      number | bigint   (exact: beyond ±2^53 the value is a bigint)
 *     types.double()     DOUBLE      number
 *     types.timestamp()  TIMESTAMP   Date              (millisecond precision in JS; µs inside)
 *     types.date()       DATE        Date              (midnight UTC)
 *     types.binary()     BINARY      Uint8Array
 *     types.array(e)     ARRAY<e>    E[]
 *     types.map(k, v)    MAP<k, v>   Map<K, V>
 *     types.struct({…})  STRUCT<…>   { … }
 *
 * Longs come back as `number` whenever they are safe integers, and as `bigint` only
 * beyond ±(2^53 − 1). `types.long()` types them as `number`, the value every count, byte
 * size or millisecond time is; a column that may hold larger values (64-bit hashes, ids)
 * is `types.bigint()`: the same BIGINT column, typed `number | bigint`.
 *
 * Fields are NOT NULL unless `.nullable()` (then `T | null`). Sources that cannot
 * enforce it (a JSON file with a missing field) still produce nulls there: declare a
 * field nullable when the data may lack it.
 */

/** The key of the phantom type members (types only: there is no such value at run time). */
export declare const ROW: unique symbol;

/** A column type that knows the JS type `V` of its values. */
export class TypedType<V> {
  /** Phantom: only the type checker sees it. */
  declare readonly [ROW]: V;

  constructor(readonly dataType: DataType, readonly isNullable = false) {}

  /** The same type, allowing nulls: values are `V | null`. */
  nullable(): TypedType<V | null> {
    return new TypedType<V | null>(this.dataType, true);
  }
}

/** A StructType that knows its row type `T`: usable wherever a schema is. */
export class TypedStruct<T> extends StructType {
  declare readonly [ROW]: T;

  /** As a field of another struct: a nested struct column. */
  get dataType(): DataType {
    return this;
  }

  readonly isNullable = false;

  /** As a nullable field of another struct. */
  nullable(): TypedType<T | null> {
    return new TypedType<T | null>(this, true);
  }
}

/** What `types.array`, `types.map` and `types.struct` take: a typed type or struct. */
export type FieldSpec = TypedType<any> | TypedStruct<any>;
type ValueOf<F> = F extends TypedType<infer V> ? V : F extends TypedStruct<infer T> ? T : never;

/** Flattens intersections and mapped types for readable hovers and exact comparisons. */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The row type of a TypedStruct, or the value type of a TypedType. */
export type Infer<S> = S extends TypedStruct<infer T> ? T : S extends TypedType<infer V> ? V : never;

export const types = {
  string: (): TypedType<string> => new TypedType(StringType),
  boolean: (): TypedType<boolean> => new TypedType(BooleanType),
  int: (): TypedType<number> => new TypedType(IntegerType),
  long: (): TypedType<number> => new TypedType(LongType),
  bigint: (): TypedType<number | bigint> => new TypedType(LongType),
  double: (): TypedType<number> => new TypedType(DoubleType),
  timestamp: (): TypedType<Date> => new TypedType(TimestampType),
  date: (): TypedType<Date> => new TypedType(DateType),
  binary: (): TypedType<Uint8Array> => new TypedType(BinaryType),
  array: <E extends FieldSpec>(element: E): TypedType<ValueOf<E>[]> =>
    new TypedType(ArrayType(element.dataType, element.isNullable)),
  map: <K extends FieldSpec, V extends FieldSpec>(key: K, value: V): TypedType<Map<ValueOf<K>, ValueOf<V>>> =>
    new TypedType(MapType(key.dataType, value.dataType, value.isNullable)),
  struct: <F extends Record<string, FieldSpec>>(fields: F): TypedStruct<Simplify<{ -readonly [K in keyof F]: ValueOf<F[K]> }>> =>
    new TypedStruct(Object.entries(fields).map(([name, f]) => ({ name, dataType: f.dataType, nullable: f.isNullable }))),
} as const;

/** A StructType that is not a TypedStruct: overloads taking one give untyped results. */
export type UntypedSchema = StructType & { readonly [ROW]?: never };
