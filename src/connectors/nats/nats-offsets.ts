import { ConnectorError } from "../../common/errors.ts";
import type { Offset } from "../source.ts";

/**
 * Where reading starts (Spark's Kafka `startingOffsets`): the first message, the end of
 * the stream at the first trigger, or a sequence number given as `{"EVENTS": 1234}`
 * (read from 1234 on; -2 and -1 mean earliest and latest, as Kafka's JSON).
 */
export type StartingOffsets = { readonly kind: "earliest" } | { readonly kind: "latest" } | { readonly kind: "sequence"; readonly next: number };

export function parseStartingOffsets(text: string | undefined, stream: string, where: string): StartingOffsets {
  const value = (text ?? "latest").trim();
  if (value.toLowerCase() === "earliest") return { kind: "earliest" };
  if (value.toLowerCase() === "latest") return { kind: "latest" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const entry = parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>)[stream] : undefined;
  const keys = parsed !== null && typeof parsed === "object" ? Object.keys(parsed as object) : [];
  if (typeof entry !== "number" || !Number.isInteger(entry) || entry < -2 || keys.length !== 1) {
    throw new ConnectorError(`${where}: option 'startingOffsets' must be earliest, latest or {"${stream}": <sequence>}, not '${value}'`);
  }
  if (entry === -2) return { kind: "earliest" };
  if (entry === -1) return { kind: "latest" };
  return { kind: "sequence", next: Math.max(1, entry) };
}

/**
 * A NATS source offset: the next stream sequence to read, as Kafka offsets are the next
 * offset of each partition. A batch reads sequences in [start, end).
 */
export function nextSequenceOf(offset: Offset, stream: string, where: string): number {
  const next = offset !== null && typeof offset === "object" && !Array.isArray(offset) ? offset[stream] : undefined;
  if (typeof next !== "number" || !Number.isInteger(next) || next < 1) {
    throw new ConnectorError(`${where}: not an offset of stream '${stream}': ${JSON.stringify(offset)}`);
  }
  return next;
}

export function offsetOf(stream: string, next: number): Offset {
  return { [stream]: next };
}
