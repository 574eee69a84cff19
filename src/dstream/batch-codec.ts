import { deserialize, serialize } from "node:v8";
import { StateError } from "../common/errors.ts";

/**
 * Input data written ahead into the DStream batch log (for inputs that cannot re-read it:
 * queues, receivers, sockets): the batch's partitions, structured-clone encoded as the
 * state store encodes its values (numbers, strings, bigint, Dates, Maps, nested arrays
 * and objects), then base64 so that the log stays a text file.
 */
export function encodePartitions(partitions: readonly (readonly unknown[])[]): string {
  try {
    return serialize(partitions).toString("base64");
  } catch (error) {
    throw new StateError(
      `cannot write a batch's input to the checkpoint: its values must be structured-cloneable (no functions or class instances with private state): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

export function decodePartitions(text: string, where: string): unknown[][] {
  let value: unknown;
  try {
    value = deserialize(Buffer.from(text, "base64"));
  } catch (error) {
    throw new StateError(`${where}: the logged input data cannot be read`, { cause: error });
  }
  if (!Array.isArray(value) || !value.every(Array.isArray)) throw new StateError(`${where}: the logged input data is not a list of partitions`);
  return value as unknown[][];
}
