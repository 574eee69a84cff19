import { StructType } from "../types/data-types.ts";

/**
 * Expressions and schemas as plain data for another thread (postMessage's structured
 * clone keeps plain objects, arrays, Maps and typed arrays, but not classes): StructType
 * is the one class inside them, so it travels as its fields and is rebuilt on arrival.
 */
export function toTransferable(value: unknown): unknown {
  if (value instanceof StructType) return { $struct: value.fields.map((f) => ({ ...f, dataType: toTransferable(f.dataType) })) };
  if (Array.isArray(value)) return value.map(toTransferable);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toTransferable(v)]));
  return value;
}

export function fromTransferable<T>(value: unknown): T {
  return revive(value) as T;
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (!isPlainObject(value)) return value;
  const struct = (value as { $struct?: { name: string; dataType: unknown; nullable: boolean }[] }).$struct;
  if (struct !== undefined) return new StructType(struct.map((f) => ({ ...f, dataType: revive(f.dataType) as StructType })));
  return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)])));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
