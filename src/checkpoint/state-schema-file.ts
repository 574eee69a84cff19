import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { readFileIfExists, writeFileAtomicIfAbsent } from "../common/atomic-file.ts";
import { StateError } from "../common/errors.ts";
import { parseDataType } from "../types/ddl.ts";
import { ArrayType, MapType, StructType, typeName, type DataType } from "../types/data-types.ts";
import type { CheckpointPaths } from "./paths.ts";

/**
 * The key and value schema of one state store of an operator (Spark's
 * StateStoreColFamilySchema): an aggregation has one store ("default"), a stream–stream
 * join one per side.
 */
export interface StateStoreSchema {
  readonly storeName: string;
  readonly keySchema: StructType;
  readonly valueSchema: StructType;
}

/** What a stateful operator keeps in its state, as it reports it (StatefulOperator.stateSchema). */
export interface OperatorStateSchema {
  readonly operatorId: number;
  /** The operator's name in plans ("StatefulAggregate"), for messages. */
  readonly operatorName: string;
  readonly stores: readonly StateStoreSchema[];
}

const VERSION_LINE = "v1";

/**
 * Reads `state/<operatorId>/_metadata/schema`, or null for a checkpoint written before
 * rivulet kept one (or an operator that has not committed yet). Format: a version line,
 * then one JSON object whose schemas are in Spark's schema JSON (nested nullability kept).
 */
export async function readStateSchemaFile(paths: CheckpointPaths, operatorId: number): Promise<OperatorStateSchema | null> {
  const file = paths.stateSchema(operatorId);
  const text = await readFileIfExists(file, "utf8");
  if (text === null) return null;
  const newline = text.indexOf("\n");
  const version = newline < 0 ? text : text.slice(0, newline);
  if (version !== VERSION_LINE) {
    throw new StateError(`state schema file ${file} has version '${version}'; this rivulet reads ${VERSION_LINE} (it was written by a newer rivulet?)`);
  }
  try {
    const json = JSON.parse(text.slice(newline + 1)) as { operatorName: string; stores: { storeName: string; keySchema: unknown; valueSchema: unknown }[] };
    return {
      operatorId,
      operatorName: json.operatorName,
      stores: json.stores.map((s) => ({ storeName: s.storeName, keySchema: structFromJson(s.keySchema), valueSchema: structFromJson(s.valueSchema) })),
    };
  } catch (error) {
    throw new StateError(`state schema file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

/** Writes the operator's schema file unless it exists (the first writer wins; it is never rewritten). */
export async function writeStateSchemaFile(paths: CheckpointPaths, schema: OperatorStateSchema): Promise<void> {
  const file = paths.stateSchema(schema.operatorId);
  await mkdir(dirname(file), { recursive: true });
  const json = {
    operatorName: schema.operatorName,
    stores: schema.stores.map((s) => ({ storeName: s.storeName, keySchema: typeToJson(s.keySchema), valueSchema: typeToJson(s.valueSchema) })),
  };
  await writeFileAtomicIfAbsent(file, `${VERSION_LINE}\n${JSON.stringify(json)}\n`);
}

type TypeJson = string | { type: "struct"; fields: { name: string; type: TypeJson; nullable: boolean }[] }
  | { type: "array"; elementType: TypeJson; containsNull: boolean }
  | { type: "map"; keyType: TypeJson; valueType: TypeJson; valueContainsNull: boolean };

/** Spark's DataType.json shape: primitives by name, containers as objects with their nullability. */
function typeToJson(t: DataType): TypeJson {
  switch (t.kind) {
    case "struct": return { type: "struct", fields: t.fields.map((f) => ({ name: f.name, type: typeToJson(f.dataType), nullable: f.nullable })) };
    case "array": return { type: "array", elementType: typeToJson(t.elementType), containsNull: t.containsNull };
    case "map": return { type: "map", keyType: typeToJson(t.keyType), valueType: typeToJson(t.valueType), valueContainsNull: t.valueContainsNull };
    default: return typeName(t);
  }
}

function typeFromJson(json: TypeJson): DataType {
  if (typeof json === "string") return parseDataType(json);
  switch (json.type) {
    case "struct": return new StructType(json.fields.map((f) => ({ name: f.name, dataType: typeFromJson(f.type), nullable: f.nullable })));
    case "array": return ArrayType(typeFromJson(json.elementType), json.containsNull);
    case "map": return MapType(typeFromJson(json.keyType), typeFromJson(json.valueType), json.valueContainsNull);
  }
}

function structFromJson(json: unknown): StructType {
  const t = typeFromJson(json as TypeJson);
  if (t.kind !== "struct") throw new Error(`expected a struct schema, got ${typeName(t)}`);
  return t;
}
