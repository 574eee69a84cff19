import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { ArrayType, IntegerType, StructType, isIntegral, type DataType } from "../../types/data-types.ts";
import type { CalendarInterval } from "../../columnar/intervals.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { UTC } from "../../common/time-zone.ts";
import { zoneOf } from "../eval-context.ts";
import type { Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import { addInterval } from "./zoned-time.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** arrays_zip and sequence: functions that build arrays from their arguments. */

/** The field name arrays_zip gives an argument: a column's name, else its position ("0", "1"…). */
function zipFieldName(e: Expression, k: number): string {
  if (e.kind === "ColumnRef") return e.name;
  if (e.kind === "Alias") return e.name;
  return String(k);
}

/** arrays_zip(a, b, …): the k-th elements as structs, as long as the longest array (nulls past a shorter one); null if any array is null. */
const arraysZip: ScalarFunction = {
  name: "arrays_zip",
  resolve(args) {
    args.forEach((a, k) => { if (typeOf(a).kind !== "array") throw typeMismatch("arrays_zip", args, k, "array"); });
    const fields = args.map((a, k) => ({ name: zipFieldName(a, k), dataType: (typeOf(a) as { elementType: DataType }).elementType, nullable: true }));
    return { args, dataType: ArrayType(new StructType(fields), false) };
  },
  evaluate: (vecs, n, _ctx, call) => {
    const names = (call.dataType as { elementType: StructType }).elementType.fields.map((f) => f.name);
    return mapRows(vecs, n, call.dataType!, (arrays) => {
      const as = arrays as unknown[][];
      const len = Math.max(0, ...as.map((a) => a.length));
      return Array.from({ length: len }, (_, i) => Object.fromEntries(names.map((name, k) => [name, as[k]![i] ?? null])));
    });
  },
};

const MAX_ELEMENTS = 2147483632; // Spark's ByteArrayMethods.MAX_ROUNDED_ARRAY_LENGTH

function illegalBoundaries(start: unknown, stop: unknown, step: unknown): ExecutionError {
  return new ExecutionError(`[INVALID_PARAMETER_VALUE.SEQUENCE_BOUNDARIES] Illegal sequence boundaries: ${String(start)} to ${String(stop)} by ${String(step)}.`);
}

/** Integers from start to stop (inclusive) by step; step 0 or pointing away from stop fails (unless start = stop). */
function integralSequence(start: number, stop: number, step: number): number[] {
  if (step === 0 ? start !== stop : (step > 0) !== (start <= stop) && start !== stop) throw illegalBoundaries(start, stop, step);
  const count = step === 0 ? 1 : Math.floor((stop - start) / step) + 1;
  if (count > MAX_ELEMENTS) throw new ExecutionError(`[COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER] Can't create array with ${count} elements which exceeding the array size limit 2147483632.`);
  return Array.from({ length: count }, (_, i) => start + i * step);
}

/** Dates or timestamps from start to stop by a calendar interval (default one day), stepping in the session zone. */
function temporalSequence(start: number, stop: number, step: CalendarInterval, isDate: boolean, zone: ReturnType<typeof zoneOf>): number[] {
  const DAY = 86_400_000_000;
  const toMicros = (x: number): number => (isDate ? x * DAY : x);
  // A date steps by whole days: INTERVAL 1 DAY is a day-time interval of 86,400,000,000 µs.
  if (isDate && step.microseconds !== 0 && step.microseconds % DAY === 0) {
    step = { months: step.months, days: step.days + step.microseconds / DAY, microseconds: 0 };
  }
  const approxStep = step.months * 31 * DAY + step.days * DAY + step.microseconds;
  if (approxStep === 0 ? start !== stop : (approxStep > 0) !== (start <= stop) && start !== stop) throw illegalBoundaries(start, stop, step);
  if (isDate && step.microseconds !== 0) throw new ExecutionError("[INVALID_PARAMETER_VALUE] sequence: the step of a date sequence must be whole days or months.");
  const out: number[] = [];
  const from = toMicros(start), to = toMicros(stop);
  for (let i = 0; ; i++) {
    const t = addInterval(isDate ? UTC : zone, from, step.months * i, step.days * i, step.microseconds * i);
    if (approxStep > 0 ? t > to : t < to) break;
    out.push(isDate ? Math.floor(t / DAY) : t);
    if (approxStep === 0 || out.length > MAX_ELEMENTS) break;
  }
  return out;
}

/** sequence(start, stop[, step]): integral (step default ±1), or dates/timestamps with an interval step (default 1 day). */
const sequence: ScalarFunction = {
  name: "sequence",
  resolve(args) {
    checkArity("sequence", args, 2, 3);
    const [a, b] = [typeOf(args[0]!), typeOf(args[1]!)];
    const t = widerType(a, b);
    if (t !== null && isIntegral(t)) {
      const type = t.kind === "long" ? t : IntegerType;
      if (args[2] && !isIntegral(typeOf(args[2]))) throw typeMismatch("sequence", args, 2, "integral");
      return { args: [castIfNeeded(args[0]!, type), castIfNeeded(args[1]!, type), ...(args[2] ? [castIfNeeded(args[2], type)] : [])], dataType: ArrayType(type, false) };
    }
    if (t !== null && (t.kind === "date" || t.kind === "timestamp" || t.kind === "timestamp_ntz")) {
      const stepKind = args[2] ? typeOf(args[2]).kind : "interval";
      if (stepKind !== "interval" && stepKind !== "interval_ym" && stepKind !== "interval_dt") throw typeMismatch("sequence", args, 2, "interval");
      return { args: [castIfNeeded(args[0]!, t), castIfNeeded(args[1]!, t), ...(args[2] ? [args[2]] : [])], dataType: ArrayType(t, false) };
    }
    throw new AnalysisError(`[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] Cannot resolve "sequence" due to data type mismatch: \`sequence\` uses the wrong parameter type. The parameter type must conform to: 1. The start and stop expressions must resolve to the same type. 2. Otherwise, if start and stop expressions resolve to the "INTEGRAL" type, then the step expression must resolve to the same type.`);
  },
  evaluate(vecs, n, ctx, call) {
    const type = (call.dataType as { elementType: DataType }).elementType;
    const zone = zoneOf(ctx);
    return mapRows(vecs, n, call.dataType!, ([start, stop, step]) => {
      if (isIntegral(type)) {
        const s = Number(start), e = Number(stop);
        return integralSequence(s, e, step === undefined ? (s <= e ? 1 : -1) : Number(step));
      }
      const isDate = type.kind === "date";
      const stepKind = call.args[2] ? typeOf(call.args[2]).kind : null;
      // ANSI intervals are a number: months (year-month) or microseconds (day-time).
      const interval: CalendarInterval = step === undefined ? { months: 0, days: (start as number) <= (stop as number) ? 1 : -1, microseconds: 0 }
        : stepKind === "interval_ym" ? { months: step as number, days: 0, microseconds: 0 }
          : stepKind === "interval_dt" ? { months: 0, days: 0, microseconds: step as number } : (step as CalendarInterval);
      return temporalSequence(start as number, stop as number, interval, isDate, type.kind === "timestamp_ntz" ? UTC : zone);
    });
  },
};

export const arrayBuilderFunctions: ScalarFunction[] = [arraysZip, sequence];

