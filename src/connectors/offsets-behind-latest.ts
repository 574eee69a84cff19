/**
 * How far a bus source is behind the end of its input, as Spark's Kafka source reports it
 * in `SourceProgress.metrics`: the offsets (messages) between what the batch consumed and
 * the latest available, averaged, maxed and minned over the partitions (here: streams).
 */
export function offsetsBehindLatest(behind: readonly number[]): Record<string, string> {
  if (behind.length === 0) return {};
  const lags = behind.map((n) => Math.max(0, n));
  return {
    avgOffsetsBehindLatest: formatDouble(lags.reduce((a, b) => a + b, 0) / lags.length),
    maxOffsetsBehindLatest: String(Math.max(...lags)),
    minOffsetsBehindLatest: String(Math.min(...lags)),
  };
}

/** Scala's Double.toString for these values: "0.0", "2.5". */
function formatDouble(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}
