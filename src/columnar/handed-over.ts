import type { Vec } from "./vector.ts";

/**
 * Vectors whose producer hands them over for good: it made their typed arrays for this
 * output and keeps no reference to them (an aggregation's output columns), so that a
 * consumer that keeps vectors (the memory sink) may keep these without copying. Their
 * dictionaries are not covered — a producer may share one it still appends to — so a
 * keeper copies the string list. A vector not marked is the producer's: keepers copy it.
 */
const handedOver = new WeakSet<Vec>();

export function handOver<V extends Vec>(v: V): V {
  handedOver.add(v);
  return v;
}

export function isHandedOver(v: Vec): boolean {
  return handedOver.has(v);
}
