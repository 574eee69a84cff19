import { formatDuration } from "../../common/duration.ts";
import { LongType, TimestampType } from "../../types/data-types.ts";
import { asNum, numVec } from "../vec-ops.ts";
import { checkArity, coerceArg } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/**
 * `timestamp ± INTERVAL '…'` for day-time intervals, the narrow piece stream–stream join
 * conditions need (`rightTime - interval 5 seconds`) until rivulet has an interval type:
 * the SQL front end turns the arithmetic into this call with the interval in µs. The
 * streaming join helper reads it as "time + constant" to bound join state.
 */
export const TIMESTAMP_ADD_INTERVAL = "timestamp_add_interval";

export const timestampAddInterval: ScalarFunction = {
  name: TIMESTAMP_ADD_INTERVAL,
  display: ([time, micros]) => {
    const n = Number(micros);
    if (!Number.isFinite(n)) return `${TIMESTAMP_ADD_INTERVAL}(${time}, ${micros})`;
    return `${time} ${n < 0 ? "-" : "+"} INTERVAL '${formatDuration(Math.abs(n))}'`;
  },
  resolve(args) {
    checkArity(TIMESTAMP_ADD_INTERVAL, args, 2);
    return { args: [coerceArg(TIMESTAMP_ADD_INTERVAL, args, 0, TimestampType), coerceArg(TIMESTAMP_ADD_INTERVAL, args, 1, LongType)], dataType: TimestampType };
  },
  evaluate([time, micros], n) {
    const t = asNum(time!), d = asNum(micros!);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = t.values[i]! + d.values[i]!;
    let valid = t.valid;
    if (d.valid !== null) {
      valid = d.valid.slice(0, n);
      if (t.valid !== null) for (let i = 0; i < n; i++) valid[i] = valid[i]! & t.valid[i]!;
    }
    return numVec(TimestampType, out, valid);
  },
};
