import type { Offset, Source } from "../../connectors/source.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import type { Session } from "../../session/session.ts";
import type { InputBatch, InputStartContext } from "../dstream-op.ts";
import { dataBatch, InputOpBase, restoreDataBatch } from "./input-op-base.ts";

const log = new Logger("rivulet.dstream.input");

/** Makes the structured source behind an input; `metadataPath` is checkpoint/sources/<i> or null. */
export type SourceFactory = (metadataPath: string | null, session: Session) => Source;

/**
 * A DStream of text lines over one of rivulet's structured sources — the socket source
 * for `socketTextStream`, the text file source for `textFileStream` — so that connecting
 * to a TCP server, splitting lines, discovering new files and remembering which files
 * were read exist once. Each batch takes the source's offsets since the previous batch.
 *
 * A replayable source (files) writes its offset range ahead and reads it again after a
 * restart. A socket cannot be read again, so its lines are written ahead themselves (as
 * Spark's receiver write-ahead log does), and a lost connection is retried every batch
 * (as Spark's socket receiver restarts) with empty batches meanwhile.
 */
export class SourceInputOp extends InputOpBase<string> {
  #source: Source | null = null;
  #session: Session | null = null;
  #metadataPath: string | null = null;
  #committed: Offset | null = null;

  constructor(readonly kind: string, readonly makeSource: SourceFactory, readonly replayable: boolean) {
    super();
  }

  async start(ctx: InputStartContext): Promise<void> {
    this.#session = ctx.session;
    this.#metadataPath = ctx.metadataPath;
    this.#source = this.makeSource(ctx.metadataPath, ctx.session);
    if (!this.replayable) return;
    const last = rangeOf(ctx.lastEntry);
    // Recovering: go on after the last logged batch. Starting: files already there are not new.
    this.#committed = last !== null ? (last.end ?? last.start) : await this.#source.latestOffset(null);
  }

  async nextBatch(): Promise<InputBatch<string>> {
    const source = this.#source!;
    let latest: Offset | null;
    try {
      latest = await source.latestOffset(this.#committed);
    } catch (error) {
      if (this.replayable || !(error instanceof ConnectorError)) throw error;
      log.warn(`${this.kind}: ${error.message}; reconnecting at the next batch`);
      await source.stop().catch(() => undefined);
      this.#source = this.makeSource(this.#metadataPath, this.#session!);
      this.#committed = null;
      return dataBatch<string>([[]]);
    }
    const start = this.#committed;
    const end = latest ?? start;
    this.#committed = end;
    if (this.replayable) return this.#rangeBatch(start, end);
    const lines = await this.#read(source, start, end);
    if (end !== null) await source.commit?.(end);
    return dataBatch([lines]);
  }

  restore(entry: Offset): InputBatch<string> {
    if (!this.replayable) return restoreDataBatch<string>(entry, this.kind);
    const range = rangeOf(entry);
    if (range === null) throw new ConnectorError(`${this.kind}: the write-ahead log entry ${JSON.stringify(entry)} is not an offset range`);
    return this.#rangeBatch(range.start, range.end);
  }

  #rangeBatch(start: Offset | null, end: Offset | null): InputBatch<string> {
    return {
      partitions: async () => [await this.#read(this.#source!, start, end)],
      entry: () => ({ start, end }),
    };
  }

  async #read(source: Source, start: Offset | null, end: Offset | null): Promise<string[]> {
    if (end === null || JSON.stringify(start) === JSON.stringify(end)) return [];
    const lines: string[] = [];
    for (const rb of await source.getBatch(start, end, { columns: ["value"] })) {
      const column = rb.getChildAt(0);
      if (column === null) continue;
      for (let i = 0; i < rb.numRows; i++) lines.push(String(column.get(i) ?? ""));
    }
    return lines;
  }

  override async hasPendingData(): Promise<boolean> {
    if (this.replayable || this.#source === null) return false;
    const latest = await this.#source.latestOffset(this.#committed).catch(() => null);
    return latest !== null && JSON.stringify(latest) !== JSON.stringify(this.#committed);
  }

  override async stop(): Promise<void> {
    await this.#source?.stop();
  }
}

function rangeOf(entry: Offset | undefined): { start: Offset | null; end: Offset | null } | null {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry) || !("start" in entry)) return null;
  return { start: entry.start ?? null, end: entry.end ?? null };
}
