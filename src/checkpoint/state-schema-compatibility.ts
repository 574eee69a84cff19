import { StateError } from "../common/errors.ts";
import type { DataType, StructType } from "../types/data-types.ts";
import type { OperatorStateSchema } from "./state-schema-file.ts";

export type StateSchemaErrorClass = "STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE" | "STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE";

/**
 * A restart whose stateful operator would read its state with other key or value types
 * than the checkpoint's (Spark's StateStoreKeySchemaNotCompatible / …Value…). A StateError:
 * the restart strategy does not retry it, since a restart would fail the same way.
 */
export class StateSchemaNotCompatibleError extends StateError {
  constructor(
    readonly errorClass: StateSchemaErrorClass,
    readonly operatorId: number,
    readonly storedSchema: string,
    readonly newSchema: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Spark's DataType.equalsIgnoreNameAndCompatibleNullability(new, stored), the rule its
 * StateSchemaCompatibilityChecker applies: the same number of fields, the same types
 * position by position (names do not matter, nested ones neither), and nothing nullable
 * now that was stored as never null (the stored rows could not tell).
 */
export function stateTypesCompatible(stored: DataType, current: DataType): boolean {
  if (stored.kind === "struct" && current.kind === "struct") {
    return stored.fields.length === current.fields.length && stored.fields.every((s, i) => {
      const c = current.fields[i]!;
      return (s.nullable || !c.nullable) && stateTypesCompatible(s.dataType, c.dataType);
    });
  }
  if (stored.kind === "array" && current.kind === "array") {
    return (stored.containsNull || !current.containsNull) && stateTypesCompatible(stored.elementType, current.elementType);
  }
  if (stored.kind === "map" && current.kind === "map") {
    return (stored.valueContainsNull || !current.valueContainsNull)
      && stateTypesCompatible(stored.keyType, current.keyType) && stateTypesCompatible(stored.valueType, current.valueType);
  }
  if (stored.kind !== current.kind) return false;
  if (stored.kind === "decimal" && current.kind === "decimal") return stored.precision === current.precision && stored.scale === current.scale;
  if ((stored.kind === "interval_dt" && current.kind === "interval_dt") || (stored.kind === "interval_ym" && current.kind === "interval_ym")) {
    return stored.startField === current.startField && stored.endField === current.endField;
  }
  return true;
}

/**
 * Pure decision: null when `current` can read the state `stored` describes, else the
 * error (the key schema is checked before the value schema, as in Spark). Stores are
 * matched by name; a store the checkpoint does not have is new and has nothing to misread.
 */
export function checkStateSchemaCompatible(location: string, stored: OperatorStateSchema, current: OperatorStateSchema): StateSchemaNotCompatibleError | null {
  for (const now of current.stores) {
    const before = stored.stores.find((s) => s.storeName === now.storeName);
    if (before === undefined) continue;
    if (!stateTypesCompatible(before.keySchema, now.keySchema)) return incompatible("STATE_STORE_KEY_SCHEMA_NOT_COMPATIBLE", "key", location, current, now.storeName, before.keySchema, now.keySchema);
    if (!stateTypesCompatible(before.valueSchema, now.valueSchema)) return incompatible("STATE_STORE_VALUE_SCHEMA_NOT_COMPATIBLE", "value", location, current, now.storeName, before.valueSchema, now.valueSchema);
  }
  return null;
}

function incompatible(
  errorClass: StateSchemaErrorClass, what: "key" | "value", location: string, operator: OperatorStateSchema, storeName: string,
  stored: StructType, current: StructType,
): StateSchemaNotCompatibleError {
  const store = storeName === "default" ? "" : `, store ${storeName}`;
  const message =
    `[${errorClass}] Provided ${what} schema does not match existing state ${what} schema of operator ${operator.operatorId} ` +
    `(${operator.operatorName}${store}) in the checkpoint ${location}. Please check number and type of fields. ` +
    `Existing ${what}_schema=${stored.toString()} and new ${what}_schema=${current.toString()}. ` +
    `The query was changed in a way its state cannot follow: start it with a new checkpointLocation. ` +
    `To force running the query without schema validation, set spark.sql.streaming.stateStore.stateSchemaCheck to false; ` +
    `note that running a query with an incompatible state schema could give wrong results or fail.`;
  return new StateSchemaNotCompatibleError(errorClass, operator.operatorId, stored.toString(), current.toString(), message);
}
