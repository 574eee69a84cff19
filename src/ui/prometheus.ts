import type { QueryRecord } from "./query-store.ts";

interface Metric {
  readonly name: string;
  readonly type: "gauge" | "counter";
  readonly help: string;
  readonly value: (q: QueryRecord) => number | null;
}

const last = (q: QueryRecord) => q.history[q.history.length - 1];

/** The latest batch that saw event times (a no-data batch has none). */
function latestEventTime(q: QueryRecord): number | null {
  for (let i = q.history.length - 1; i >= 0; i--) if (q.history[i]!.maxEventTime !== null) return q.history[i]!.maxEventTime;
  return null;
}

const METRICS: readonly Metric[] = [
  { name: "rivulet_query_active", type: "gauge", help: "1 while the query runs, 0 once it stopped or failed.", value: (q) => (q.state === "active" ? 1 : 0) },
  { name: "rivulet_query_failed", type: "gauge", help: "1 when the query stopped with an error.", value: (q) => (q.state === "failed" ? 1 : 0) },
  { name: "rivulet_query_waiting", type: "gauge", help: "1 while the query waits for its sink (the database is unreachable and writes are being retried).", value: (q) => (q.state === "active" && q.waiting !== null ? 1 : 0) },
  { name: "rivulet_sink_retries_total", type: "counter", help: "Retries of sink writes after transient errors (a database outage) in this run.", value: (q) => q.sinkRetries },
  { name: "rivulet_query_batches_total", type: "counter", help: "Micro-batches completed by this run.", value: (q) => q.batches },
  { name: "rivulet_query_last_batch_id", type: "gauge", help: "Id of the last completed micro-batch.", value: (q) => last(q)?.batchId ?? null },
  { name: "rivulet_query_input_rows_total", type: "counter", help: "Rows read from the sources by this run.", value: (q) => q.totalInputRows },
  { name: "rivulet_query_output_rows_total", type: "counter", help: "Rows written to the sink by this run.", value: (q) => q.totalRowsWritten },
  { name: "rivulet_query_input_rows_per_second", type: "gauge", help: "Input rate of the last batch.", value: (q) => last(q)?.inputRowsPerSecond ?? null },
  { name: "rivulet_query_processed_rows_per_second", type: "gauge", help: "Processing rate of the last batch.", value: (q) => last(q)?.processedRowsPerSecond ?? null },
  { name: "rivulet_query_batch_duration_seconds", type: "gauge", help: "Duration of the last batch.", value: (q) => (last(q) === undefined ? null : last(q)!.batchDuration / 1000) },
  { name: "rivulet_query_state_rows", type: "gauge", help: "Rows held in the state stores after the last batch.", value: (q) => last(q)?.stateRows ?? null },
  { name: "rivulet_query_watermark_seconds", type: "gauge", help: "Event-time watermark (seconds since the epoch).", value: (q) => { const w = last(q)?.watermark; return w == null ? null : w / 1000; } },
  { name: "rivulet_query_max_event_time_seconds", type: "gauge", help: "Largest event time of the latest batch that read rows (seconds since the epoch).", value: (q) => { const m = latestEventTime(q); return m === null ? null : m / 1000; } },
];

/** A label value in the text format: backslash, double quote and newline escaped. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/**
 * `/metrics` in the Prometheus text exposition format (version 0.0.4): per query run,
 * labelled with its name, id and run id.
 */
export function prometheusText(queries: readonly QueryRecord[]): string {
  const lines: string[] = [];
  lines.push("# HELP rivulet_queries Streaming queries known to the UI, by state.", "# TYPE rivulet_queries gauge");
  for (const state of ["active", "stopped", "failed"] as const) {
    lines.push(`rivulet_queries{state="${state}"} ${queries.filter((q) => q.state === state).length}`);
  }
  for (const m of METRICS) {
    lines.push(`# HELP ${m.name} ${m.help}`, `# TYPE ${m.name} ${m.type}`);
    for (const q of queries) {
      const v = m.value(q);
      if (v === null) continue;
      lines.push(`${m.name}{query="${escapeLabel(q.name)}",id="${escapeLabel(q.id)}",run_id="${escapeLabel(q.runId)}"} ${formatValue(v)}`);
    }
  }
  const lagName = "rivulet_source_offsets_behind_latest";
  lines.push(`# HELP ${lagName} Messages between the last batch's end and the end of the source's input (bus sources; the largest over a source's streams).`, `# TYPE ${lagName} gauge`);
  for (const q of queries) {
    for (const s of q.sourceOffsets) {
      if (s.offsetsBehindLatest === null) continue;
      lines.push(`${lagName}{query="${escapeLabel(q.name)}",id="${escapeLabel(q.id)}",run_id="${escapeLabel(q.runId)}",source="${escapeLabel(s.description)}"} ${formatValue(s.offsetsBehindLatest)}`);
    }
  }
  return lines.join("\n") + "\n";
}
