import { AnalysisError } from "../common/errors.ts";
import { parseDuration } from "../common/duration.ts";

/** When micro-batches run (Spark's Trigger). */
export type Trigger =
  | { readonly kind: "processingTime"; readonly intervalMs: number }
  | { readonly kind: "once" }
  | { readonly kind: "availableNow" };

/** What users pass to `trigger(…)`: Spark's forms as an object. */
export type TriggerSpec =
  | { processingTime: string | number }
  | { once: true }
  | { availableNow: true }
  | Trigger;

export const DEFAULT_TRIGGER: Trigger = { kind: "processingTime", intervalMs: 0 };

export function parseTrigger(spec: TriggerSpec): Trigger {
  if ("kind" in spec) return spec;
  if ("processingTime" in spec) {
    const v = spec.processingTime;
    const ms = typeof v === "number" ? v : parseDuration(v, "trigger interval") / 1000;
    if (!Number.isFinite(ms) || ms < 0) throw new AnalysisError(`trigger interval must be non-negative, got '${String(v)}'`);
    return { kind: "processingTime", intervalMs: ms };
  }
  if ("once" in spec && spec.once) return { kind: "once" };
  if ("availableNow" in spec && spec.availableNow) return { kind: "availableNow" };
  if ("continuous" in spec) {
    throw new AnalysisError(`[UNSUPPORTED_FEATURE] The feature is not supported: continuous processing (trigger ${JSON.stringify(spec)}). rivulet runs micro-batches: use { processingTime: "1 second" } for low latency, or { availableNow: true }.`);
  }
  throw new AnalysisError(`unknown trigger ${JSON.stringify(spec)}: use { processingTime: "1 second" }, { once: true } or { availableNow: true }`);
}
