import { zoneRules } from "../../common/time-zone.ts";
import { tableToIPC, Table } from "apache-arrow";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import { ConnectorError } from "../../common/errors.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { TaskResult } from "../../common/worker-pool.ts";
import { parseSchema } from "../../types/ddl.ts";
import type { SourcePredicate } from "../source.ts";
import { BatchAssembler } from "./batch-assembler.ts";
import { JsonLinesDecoder } from "./json-lines-decoder.ts";
import { isCompressedInput, readInputBytes, withoutUtf8Bom } from "./compressed-input.ts";
import { forEachLineBlock, prefetch, type Prefetched } from "./line-chunks.ts";
import { MalformedRecords, type ParseMode } from "./parse-mode.ts";
import { withPartitionColumns, type PartitionColumnsLayout } from "./partitioning.ts";

/** Everything a worker thread needs to decode one JSON-lines file: plain data only. */
export interface JsonFileTask {
  readonly path: string;
  /** The source schema as DDL (round-trips through parseSchema). */
  readonly schemaDdl: string;
  readonly columns: readonly string[] | undefined;
  readonly filters: readonly SourcePredicate[] | undefined;
  readonly mode: ParseMode;
  readonly corruptRecordColumn: string;
  /** The zone of timestamps without an offset (the timeZone option); UTC when absent. */
  readonly timeZoneId?: string;
  /** With partition columns: the read's output schema (DDL) and the file's partition values in it. */
  readonly partitionColumns?: { readonly outputDdl: string; readonly constants: PartitionColumnsLayout["constants"] };
}

export interface JsonFileResult {
  /** The decoded rows as an Arrow IPC stream (moved, not copied, to the caller). */
  readonly ipc: Uint8Array;
  readonly malformed: number;
}

/** A file task's failure as the source reports it: the worker's message, which names the file, or one that does. */
export function fileTaskError(path: string, error: Error): ConnectorError {
  return new ConnectorError(error.message.includes(path) ? error.message : `json source: cannot read ${path}: ${error.message}`, { cause: error });
}

/**
 * Decodes one file in a worker thread with the same decoder the main thread uses; the
 * result travels back as Arrow IPC. A FAILFAST error is thrown as it is, file and line
 * included.
 */
export async function decodeJsonFile(task: JsonFileTask): Promise<TaskResult<JsonFileResult>> {
  const out = await decodeJsonFileBatches(task);
  const ipc = tableToIPC(new Table(out.batches.map(toRecordBatch)), "stream");
  return { value: { ipc, malformed: out.malformed }, transfer: [ipc.buffer as ArrayBuffer] };
}

/** Decodes one file in this thread: its batches of the requested columns and how many lines were malformed. */
export async function decodeJsonFileBatches(task: JsonFileTask): Promise<{ batches: ColumnBatch[]; malformed: number }> {
  const batches: ColumnBatch[] = [];
  const malformed = await decodeJsonFileInBlocks(task, undefined, async (some) => { batches.push(...some); });
  return { batches, malformed };
}

/**
 * Decodes one file in this thread and hands its batches (of at most `batchRows` rows) to
 * `onBatches` after each read chunk is decoded, while the next chunk is being read: a
 * consumer that folds them right away (the map side of an aggregation) never holds the
 * whole file decoded, only a chunk's rows. At least one batch,
 * possibly empty, reaches `onBatches`. Returns how many lines were malformed.
 */
export async function decodeJsonFileInBlocks(
  task: JsonFileTask, batchRows: number | undefined, onBatches: (batches: ColumnBatch[]) => Promise<void>, decoders?: JsonDecoders,
): Promise<number> {
  return decodeJsonFilesInBlocks([task], batchRows, onBatches, decoders);
}

/**
 * Decoders kept across calls for files of the same schema and options (a worker thread's
 * tasks of one query, a query's batches on one thread): their string interners and the
 * line shape they learned carry over, so a value repeated across files is decoded once,
 * not once per file. Interners are bounded, so a decoder kept does not grow without end.
 */
export class JsonDecoders {
  readonly #byOptions = new Map<string, { decoder: JsonLinesDecoder; malformed: MalformedRecords }>();

  constructor(readonly maxDecoders = 8) {}

  /** A decoder for `task`'s schema and options, and the counter of malformed records it reports to. */
  for(task: JsonFileTask): { decoder: JsonLinesDecoder; malformed: MalformedRecords } {
    const key = decoderKey(task);
    let entry = this.#byOptions.get(key);
    if (entry === undefined) {
      if (this.#byOptions.size >= this.maxDecoders) this.#byOptions.clear();
      entry = newDecoder(task);
      this.#byOptions.set(key, entry);
    }
    return entry;
  }

  /** Forgets the decoder for `task`'s options (a read failed mid-file: its state is not trusted). */
  drop(task: JsonFileTask): void {
    this.#byOptions.delete(decoderKey(task));
  }
}

function decoderKey(task: JsonFileTask): string {
  const options = [task.schemaDdl, task.columns, task.filters, task.mode, task.corruptRecordColumn, task.timeZoneId ?? "UTC"];
  // A BIGINT literal in a pushed filter beyond ±2^53 is a bigint, which JSON writes only through a replacer.
  return JSON.stringify(options, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

function newDecoder(task: JsonFileTask): { decoder: JsonLinesDecoder; malformed: MalformedRecords } {
  const malformed = new MalformedRecords(task.mode, "json");
  const decoder = new JsonLinesDecoder(parseSchema(task.schemaDdl, { timestampType: "TIMESTAMP_LTZ" }), task.columns, {
    corruptRecordColumn: task.corruptRecordColumn, malformed, filters: task.filters, zone: zoneRules(task.timeZoneId ?? "UTC"),
  });
  return { decoder, malformed };
}

/**
 * decodeJsonFileInBlocks for files of one read (the same schema and options), one after
 * another with one decoder (from `decoders` when given, kept for later calls): its string
 * interner is shared, so a value repeated across files is one string (cheaper to decode
 * and to group by), and batches run across files (bigger batches group more rows
 * locally) unless files carry partition values.
 */
export async function decodeJsonFilesInBlocks(
  tasks: readonly JsonFileTask[], batchRows: number | undefined, onBatches: (batches: ColumnBatch[]) => Promise<void>, decoders?: JsonDecoders,
): Promise<number> {
  const first = tasks[0];
  if (first === undefined) return 0;
  const { decoder, malformed } = decoders?.for(first) ?? newDecoder(first);
  const malformedBefore = malformed.count;
  try {
    await decodeWith(decoder, tasks, batchRows, onBatches);
  } catch (e) {
    decoders?.drop(first);
    throw e;
  }
  return malformed.count - malformedBefore;
}

async function decodeWith(
  decoder: JsonLinesDecoder, tasks: readonly JsonFileTask[], batchRows: number | undefined, onBatches: (batches: ColumnBatch[]) => Promise<void>,
): Promise<void> {
  const out = new BatchAssembler(decoder.outputSchema, batchRows);
  const batchPerFile = tasks.some((t) => t.partitionColumns !== undefined);
  // The next file's opening and first chunk are read while this one decodes: one thread
  // reading many small files otherwise waits for each open and read in turn.
  const ahead = (i: number): Promise<Prefetched> | undefined => {
    const path = tasks[i]?.path;
    if (path === undefined || isCompressedInput(path)) return undefined;
    const p = prefetch(path);
    p.catch(() => {}); // reported when awaited
    return p;
  };
  let next = ahead(0);
  try {
    for (const [i, task] of tasks.entries()) {
      const first = next;
      next = ahead(i + 1);
      await decodeFile(decoder, task, out, first, onBatches, batchPerFile || i === tasks.length - 1);
    }
  } catch (e) {
    // The file read ahead will not be read now: release its handle.
    next?.then((p) => p.handle.close(), () => {});
    throw e;
  }
}

/** Decodes one file into `out` (its first chunk `first`, if read ahead), delivering filled batches, and the rest with `finish`. */
async function decodeFile(
  decoder: JsonLinesDecoder, task: JsonFileTask, out: BatchAssembler, first: Promise<Prefetched> | undefined,
  onBatches: (batches: ColumnBatch[]) => Promise<void>, finish: boolean,
): Promise<void> {
  const partition = task.partitionColumns;
  const layout = partition === undefined ? null : { output: parseSchema(partition.outputDdl, { timestampType: "TIMESTAMP_LTZ" }), constants: partition.constants };
  const deliver = async (batches: ColumnBatch[]): Promise<void> => {
    if (batches.length > 0) await onBatches(layout === null ? batches : withPartitionColumns(batches, layout));
  };
  let line = 1;
  try {
    if (isCompressedInput(task.path)) {
      const bytes = withoutUtf8Bom(await readInputBytes(task.path));
      decoder.decodeLines(bytes, 0, bytes.length, task.path, line, out);
      await deliver(out.takeFilled());
    } else {
      await forEachLineBlock(task.path, (b, start, end) => { line += decoder.decodeLines(b, start, end, task.path, line, out); },
        undefined, first, () => deliver(out.takeFilled()));
    }
  } catch (e) {
    throw e instanceof ConnectorError ? e : fileTaskError(task.path, e as Error);
  }
  if (finish) await deliver(out.finishColumns());
}
