import type { StreamingQueryProgress } from "../execution/progress.ts";
import type {
  QueryIdleEvent, QueryProgressEvent, QueryStartedEvent, QueryTerminatedEvent, QueryWaitingEvent, StreamingQueryListener,
} from "../execution/query-listener.ts";
import { redactSecrets } from "../ui/redact.ts";
import { summarize, statusLine, type Backlog } from "./progress-format.ts";

/** Where status goes: process.stdout, or a test's buffer. */
export interface StatusOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** How much of its input a query still has to catch up, from its latest progress (null: unknown or none). */
export type BacklogProbe = (progress: StreamingQueryProgress) => Backlog | null;

export interface ProgressReporterOptions {
  readonly out: StatusOutput;
  /** "text" (default) or "json": one JSON object per line, only when the output is not a TTY. */
  readonly logFormat?: "text" | "json";
  readonly backlog?: BacklogProbe;
  /** The name of a query by id (its queryName or sink table), for one that fails before it reports starting. */
  readonly nameOf?: (id: string) => string | null;
  /** A TTY is redrawn at most this often (default 100 ms); the last update is never lost. */
  readonly minRedrawMs?: number;
}

interface QueryLine {
  readonly id: string;
  name: string;
  text: string;
  totalRowsWritten: number;
  batches: number;
  /** The status line from before the sink started waiting. */
  beforeWaiting?: string | null;
}

const CLEAR_LINE = "\r\x1b[2K";

/**
 * A StreamingQueryListener that shows each query's progress in the terminal: on a TTY one
 * status line per query, redrawn in place; otherwise one plain log line (or JSON line) per
 * batch. Start, idle and termination are reported too.
 */
export class ProgressReporter implements StreamingQueryListener {
  readonly #out: StatusOutput;
  readonly #mode: "tty" | "text" | "json";
  readonly #backlog: BacklogProbe | undefined;
  readonly #nameOf: (id: string) => string | null;
  readonly #minRedrawMs: number;
  readonly #lines = new Map<string, QueryLine>();
  #drawn = 0;
  #lastDraw = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(options: ProgressReporterOptions) {
    this.#out = options.out;
    this.#mode = options.out.isTTY === true ? "tty" : options.logFormat === "json" ? "json" : "text";
    this.#backlog = options.backlog;
    this.#nameOf = options.nameOf ?? (() => null);
    this.#minRedrawMs = options.minRedrawMs ?? 100;
  }

  get mode(): "tty" | "text" | "json" {
    return this.#mode;
  }

  onQueryStarted(e: QueryStartedEvent): void {
    const name = e.name ?? e.id;
    this.#lines.set(e.id, { id: e.id, name, text: `${name} | started, waiting for the first batch`, totalRowsWritten: 0, batches: 0 });
    this.#event({ event: "queryStarted", name, id: e.id, runId: e.runId, timestamp: e.timestamp }, `query ${name} started (id ${e.id}, run ${e.runId})`);
  }

  onQueryProgress(e: QueryProgressEvent): void {
    const p = e.progress;
    const line = this.#line(p.id, p.name);
    line.totalRowsWritten += p.sink.numOutputRows;
    line.batches++;
    let backlog: Backlog | null = null;
    try {
      backlog = this.#backlog?.(p) ?? null;
    } catch {
      backlog = null; // a probe that cannot look (a directory gone) shows no bar
    }
    const summary = summarize(p, line.totalRowsWritten, backlog);
    line.text = redactSecrets(statusLine(summary));
    line.beforeWaiting = null;
    if (this.#mode === "tty") this.#scheduleRedraw();
    else if (this.#mode === "json") this.#write(JSON.parse(redactSecrets(JSON.stringify({ event: "queryProgress", ...summary, timestamp: p.timestamp, progress: p }))) as Record<string, unknown>);
    else this.#out.write(`${p.timestamp} ${line.text}\n`);
  }

  onQueryIdle(e: QueryIdleEvent): void {
    const line = this.#lines.get(e.id);
    if (line === undefined) return;
    if (this.#mode === "tty") {
      if (!line.text.endsWith("(idle)")) line.text += " (idle)";
      this.#scheduleRedraw();
    }
  }

  /** A sink waiting on its database: the status line says so; without a TTY, one line per retry and one when it is back. */
  onQueryWaiting(e: QueryWaitingEvent): void {
    const line = this.#lines.get(e.id);
    const name = line?.name ?? e.id;
    const message = e.message === null ? null : redactSecrets(e.message);
    if (this.#mode === "tty") {
      if (line === undefined) return;
      // The wait replaces the last batch's numbers (stale meanwhile) until the sink is back.
      if (message === null) {
        line.text = line.beforeWaiting ?? line.text;
        line.beforeWaiting = null;
      } else {
        line.beforeWaiting ??= line.text;
        line.text = `${name} | ${message}`;
      }
      this.#scheduleRedraw();
      return;
    }
    const text = message === null ? `query ${name}: the sink is writing again after ${e.sinkRetries} retries` : `query ${name}: ${message}`;
    this.#event({ event: "queryWaiting", name, id: e.id, runId: e.runId, message, sinkRetries: e.sinkRetries, timestamp: e.timestamp }, text);
  }

  onQueryTerminated(e: QueryTerminatedEvent): void {
    const line = this.#lines.get(e.id);
    const name = line?.name ?? this.#nameOf(e.id) ?? e.id;
    const batches = line?.batches ?? 0;
    // The counts come before the error, which ends with its own sentence.
    const counts = `after ${batches} batch${batches === 1 ? "" : "es"}, ${line?.totalRowsWritten ?? 0} rows written`;
    const text = e.exception === null ? `query ${name} stopped ${counts}` : `query ${name} failed ${counts}: ${redactSecrets(e.exception)}`;
    this.#lines.delete(e.id);
    this.#event({ event: "queryTerminated", name, id: e.id, runId: e.runId, exception: e.exception === null ? null : redactSecrets(e.exception), batches }, text);
  }

  /**
   * Writes a log line to `stream` (stderr) without tearing the status block: on a TTY the
   * block is erased, the line written, and the block drawn again below it.
   */
  printAbove(stream: { write(text: string): unknown }, text: string): void {
    if (this.#mode !== "tty" || this.#drawn === 0) {
      stream.write(text);
      return;
    }
    this.#out.write(this.#erase());
    this.#drawn = 0;
    stream.write(text);
    this.#draw();
  }

  /** Draws the latest state now (a pending redraw would otherwise wait for its timer). */
  flush(): void {
    if (this.#mode === "tty") this.#flushRedraw();
  }

  /** Stops redrawing; the status lines stay on the screen. */
  close(): void {
    this.flush();
    this.#drawn = 0;
  }

  #line(id: string, name: string | null): QueryLine {
    let line = this.#lines.get(id);
    if (line === undefined) {
      line = { id, name: name ?? id, text: "", totalRowsWritten: 0, batches: 0 };
      this.#lines.set(id, line);
    }
    return line;
  }

  /** A one-off event: a JSON line, a log line, or on a TTY a line printed above the status block. */
  #event(json: Record<string, unknown>, text: string): void {
    if (this.#mode === "json") this.#write(json);
    else if (this.#mode === "text") this.#out.write(`${new Date().toISOString()} ${text}\n`);
    else {
      // The block is drawn again right below the line, so a pending redraw is done with it.
      if (this.#timer !== null) clearTimeout(this.#timer);
      this.#timer = null;
      this.#out.write(this.#erase() + text + "\n");
      this.#drawn = 0;
      this.#draw();
    }
  }

  #write(json: Record<string, unknown>): void {
    this.#out.write(JSON.stringify(json) + "\n");
  }

  #scheduleRedraw(): void {
    const wait = this.#lastDraw + this.#minRedrawMs - Date.now();
    if (wait <= 0) {
      this.#flushRedraw();
      return;
    }
    if (this.#timer === null) {
      this.#timer = setTimeout(() => this.#flushRedraw(), wait);
      this.#timer.unref();
    }
  }

  #flushRedraw(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#draw();
  }

  /** Moves the cursor back over the status block drawn last and clears it. */
  #erase(): string {
    if (this.#drawn === 0) return "";
    return `\x1b[${this.#drawn}A` + `${CLEAR_LINE}\x1b[1B`.repeat(this.#drawn) + `\x1b[${this.#drawn}A`;
  }

  #draw(): void {
    this.#lastDraw = Date.now();
    const width = Math.max(20, (this.#out.columns || 120) - 1);
    const lines = [...this.#lines.values()].map((l) => (l.text.length > width ? `${l.text.slice(0, width - 1)}…` : l.text));
    let text = this.#erase();
    for (const l of lines) text += `${CLEAR_LINE}${l}\n`;
    this.#drawn = lines.length;
    if (text !== "") this.#out.write(text);
  }
}
