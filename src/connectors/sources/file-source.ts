import type { RecordBatch } from "apache-arrow";
import { tableFromIPC } from "apache-arrow";
import { join } from "node:path";
import { toRecordBatch } from "../../columnar/arrow-convert.ts";
import { ColumnBatch } from "../../columnar/column-batch.ts";
import { ConfKeys } from "../../common/config.ts";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { sharedWorkerPool } from "../../common/worker-pool.ts";
import { StructType } from "../../types/data-types.ts";
import type { FileTaskSource, Offset, ReadLimit, ReadRequest, SourceContext, SourcePredicate, SourceProvider } from "../source.ts";
import { BatchAssembler } from "./batch-assembler.ts";
import type { FileFormat, FileReader } from "./file-format.ts";
import { FileIndex } from "./file-index.ts";
import { FILE_METADATA_COLUMN, FileMetadataType, fileMetadataVec, isFileMetadataColumn } from "./file-metadata.ts";
import type { FileStatus } from "./file-listing.ts";
import { FileSourceLog } from "./file-source-log.ts";
import { fileSourceLogSettingsOf } from "./file-source-log-settings.ts";
import { SeenFiles } from "./seen-files.ts";
import { fileSourceCleanerOf, type FileSourceCleaner } from "./file-source-cleaner.ts";
import { fileTaskError, type JsonFileResult, type JsonFileTask } from "./json-file-task.ts";
import { noSchemaError } from "./json-schema-inference.ts";
import { prefetch, type Prefetched } from "./line-chunks.ts";
import { DEFAULT_CORRUPT_RECORD_COLUMN, MalformedRecords } from "./parse-mode.ts";
import { withPartitionColumns, type FilePartitioning, type PartitionColumnsLayout } from "./partitioning.ts";
import { readSchemaOf } from "./read-schema.ts";
import type { SourceOptions } from "./source-options.ts";

/** The module worker threads import to decode a file (TypeScript from sources, JavaScript when built). */
const TASK_MODULE = new URL(`./json-file-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

const log = new Logger("rivulet.sources.file");

/** How new files are picked (Spark's maxFilesPerTrigger and latestFirst). */
interface FilePolicy {
  readonly maxFilesPerTrigger: number;
  readonly latestFirst: boolean;
  /** Spark's maxFileAge (default 7d): a file older than this before the newest file taken is not taken (Infinity: no limit). */
  readonly maxFileAgeMs: number;
  /** Spark's cleanSource: what happens to a streaming batch's files once it is committed (null: off). */
  readonly cleaner: FileSourceCleaner | null;
}

/** Oldest first (name as tie-break), or newest first. */
function sortFiles(files: FileStatus[], latestFirst: boolean): FileStatus[] {
  const sign = latestFirst ? -1 : 1;
  return files.sort((a, b) => sign * (a.modificationTime - b.modificationTime) || (a.path < b.path ? -sign : a.path > b.path ? sign : 0));
}

/**
 * A json, csv, text or parquet source over files, directories and globs (file-index.ts
 * says which files). The schema is fixed here: given, or inferred from the files present
 * now (Spark does it at `load()`), with the partition columns found then.
 */
export function createFileSourceProvider(
  format: FileFormat,
  options: SourceOptions,
  paths: readonly string[],
  userSchema: StructType | null,
  bounded: boolean,
): SourceProvider {
  if (paths.length === 0) throw new ConnectorError(`${format.name} source: 'path' must be specified`);
  const index = new FileIndex(paths, options, bounded);
  const maxFilesPerTrigger = Math.floor(options.getNumber("maxFilesPerTrigger", Infinity, 1));
  const latestFirst = options.getBoolean("latestFirst", false);
  const maxFileAgeMs = options.getDurationMs("maxFileAge", "7d");
  const policy: FilePolicy = {
    maxFilesPerTrigger,
    latestFirst,
    // Spark's rule: newest first with a per-trigger limit would otherwise skip the older files for good.
    maxFileAgeMs: latestFirst && Number.isFinite(maxFilesPerTrigger) ? Infinity : maxFileAgeMs,
    cleaner: bounded ? null : fileSourceCleanerOf(options, paths),
  };
  const partitioning = index.discoverPartitioning(userSchema);
  const files = sortFiles(index.listFiles(), false);
  // Spark reads a directory's own files, not its plain subdirectories': say so rather than read nothing in silence.
  const unread = files.length === 0 ? index.filesBelowRoots() : 0;
  const hint = unread === 0 ? "" : ` (${unread} file(s) lie in subdirectories, which are not read: set option recursiveFileLookup to true, or use a glob such as ${join(paths[0]!, "*")})`;
  if (hint !== "" && (userSchema !== null || format.name === "text")) log.warn(`${format.name} source at ${paths.join(", ")}: no files to read${hint}`);
  let schema = userSchema;
  if (schema === null) {
    if (files.length === 0 && format.name !== "text") throw noSchemaError(format.name, paths.join(", ") + hint, bounded);
    schema = format.inferSchema(files.map((f) => f.path));
    log.info(`inferred schema ${schema.toDDL()} for ${format.name} from ${files.length} file(s) at ${paths.join(", ")}`);
  }
  const fixedSchema = partitioning.schemaWith(schema);
  const providerOf = (withMetadata: boolean): SourceProvider => {
    const providerSchema = withMetadata ? new StructType([...fixedSchema.fields, { name: FILE_METADATA_COLUMN, dataType: FileMetadataType, nullable: false }]) : fixedSchema;
    return {
      format: format.name,
      schema: providerSchema,
      details: paths.join(", "),
      supportsBatch: true,
      // Worker tasks decode data columns only: a read with `_metadata` stays on this thread.
      readsFileTasks: format.readsInTasks === true && !withMetadata,
      inputFiles: () => index.listFiles().map((f) => f.path),
      createSource: (context) => new FileStreamSource(format, providerSchema, index, policy, context.bounded || bounded, context, withMetadata),
      ...(withMetadata || fixedSchema.fields.some((f) => isFileMetadataColumn(f.name)) ? {} : { withFileMetadata: () => providerOf(true) }),
    };
  };
  return providerOf(false);
}

/** Readers a source keeps at most (one per distinct columns and filters of its reads). */
const MAX_KEPT_READERS = 8;

function readerKeyOf(columns: readonly string[] | undefined, filters: readonly SourcePredicate[] | undefined): string {
  // A BIGINT literal in a pushed filter beyond ±2^53 is a bigint, which JSON writes only through a replacer.
  return JSON.stringify([columns ?? null, filters ?? null], (_, v) => (typeof v === "bigint" ? `${v}n` : v));
}

function logIndexOf(offset: Offset | null): number {
  if (offset === null) return -1;
  if (typeof offset === "number" && Number.isInteger(offset)) return offset;
  if (typeof offset === "object" && !Array.isArray(offset) && typeof offset.logOffset === "number") return offset.logOffset;
  throw new ConnectorError(`file source: not a file source offset: ${JSON.stringify(offset)}`);
}

/**
 * Spark's FileStreamSource: each offset is an index into the file source log; discovering
 * new files appends an entry; a batch reads the files of the entries in its range.
 */
export class FileStreamSource implements FileTaskSource {
  readonly description: string;
  readonly partitioning: FilePartitioning;
  readonly #log: Promise<FileSourceLog>;
  readonly #seen: SeenFiles;
  readonly #malformed: MalformedRecords;
  readonly #threads: number;
  #filesRead = 0;
  /** Batches read and not yet committed: end log index → start log index (for cleanSource). */
  readonly #uncommitted = new Map<number, number>();
  #lastCleaned = -1;

  constructor(
    readonly format: FileFormat,
    readonly schema: StructType,
    readonly index: FileIndex,
    readonly policy: FilePolicy,
    readonly bounded: boolean,
    context: SourceContext,
    /** Whether the schema ends with the `_metadata` column (file-metadata.ts), filled per file. */
    readonly withMetadata = false,
  ) {
    this.partitioning = index.partitioning;
    this.description = `FileStreamSource[${index.inputs.texts.join(",")}]`;
    const seen = (this.#seen = new SeenFiles(policy.maxFileAgeMs));
    this.#log = bounded
      ? FileSourceLog.load(null)
      : FileSourceLog.load(context.metadataPath, fileSourceLogSettingsOf(context.conf), (f) => seen.add(f.path, f.modificationTime)).then((fileLog) => {
        seen.purge();
        return fileLog;
      });
    this.#log.catch(() => undefined); // reported by the first call that awaits it
    this.#malformed = new MalformedRecords(format.mode, format.name);
    this.#threads = Number(context.conf.get(ConfKeys.parallelism) ?? 1) || 1;
  }

  async latestOffset(start: Offset | null, readLimit: ReadLimit = "default"): Promise<Offset | null> {
    const fileLog = await this.#log;
    if (this.bounded) {
      // One offset covering every file present.
      if (fileLog.latestIndex < 0) await fileLog.append(sortFiles(this.index.listFiles(), false));
      await fileLog.written();
      return { logOffset: fileLog.latestIndex };
    }
    // Entries past `start` were logged by a run that stopped before it wrote the batch to the
    // offset log (killed in between): the next batch takes the first of them, as that run's
    // batch would have, and no new file. Spark takes them all together with new files, so a
    // restart changed the batches — and, with two sources, one could run a file ahead of the
    // other, which moves the watermark and drops rows as late that an uninterrupted run joins.
    const from = logIndexOf(start);
    if (fileLog.latestIndex > from) return { logOffset: from + 1 };
    const fresh = this.#newFiles();
    let maxFiles = this.policy.maxFilesPerTrigger;
    if (readLimit === "allAvailable" && Number.isFinite(maxFiles)) {
      log.warn(`The read limit MaxFiles: ${maxFiles} for ${this.description} is ignored when Trigger.Once is used.`);
      maxFiles = Infinity;
    }
    const take = fresh.slice(0, Math.min(fresh.length, maxFiles));
    if (take.length > 0) {
      const index = await fileLog.append(take);
      if (this.#waitForLog) await fileLog.written();
      for (const f of take) this.#seen.add(f.path, f.modificationTime);
      const purged = this.#seen.purge();
      log.debug(`${this.description}: log entry ${index} has ${take.length} new file(s), ${fresh.length - take.length} left for later; ${purged} file(s) older than maxFileAge forgotten`);
    }
    return fileLog.latestIndex < 0 ? null : { logOffset: fileLog.latestIndex };
  }

  /** The files listed now that no batch has taken yet, in the order batches take them (latestFirst). */
  #newFiles(): ReturnType<typeof sortFiles> {
    return sortFiles(this.index.listFiles().filter((f) => this.#seen.isNew(f.path, f.modificationTime)), this.policy.latestFirst);
  }

  async getBatch(start: Offset | null, end: Offset, request?: ReadRequest): Promise<RecordBatch[]> {
    const fileLog = await this.#log;
    const files = this.#unpruned(await fileLog.filesBetween(logIndexOf(start), logIndexOf(end)), request);
    if (this.policy.cleaner !== null && !this.bounded) this.#uncommitted.set(logIndexOf(end), logIndexOf(start));
    if (this.#threads > 1 && this.format.readsInTasks === true && !this.withMetadata && files.length > 1) return this.#decodeInWorkers(files, request);
    const layout = this.#partitionLayout(request);
    const columns = layout?.dataColumns ?? request?.columns;
    const readerKey = this.format.name === "json" ? readerKeyOf(columns, request?.filters) : null;
    const reader = this.#readerFor(readerKey, columns, request?.filters);
    const out = new BatchAssembler(reader.outputSchema);
    const batches: RecordBatch[] = [];
    // JSON files are read one ahead: the next file's first chunk loads while this one decodes.
    const ahead = (i: number): Promise<Prefetched> | undefined => {
      if (this.format.name !== "json" || i >= files.length) return undefined;
      const p = prefetch(files[i]!.path);
      p.catch(() => {}); // reported when awaited
      return p;
    };
    let next = ahead(0);
    for (const [i, file] of files.entries()) {
      const first = next;
      next = ahead(i + 1);
      try {
        await reader.read(file.path, out, first);
        // With partition (or metadata) columns, each file's rows get its own values: its own batches.
        if (layout !== null) batches.push(...withPartitionColumns(out.finishColumns(), layout.forFile(file)).map(toRecordBatch));
      } catch (e) {
        // The file read ahead will not be read now: release its handle.
        next?.then((p) => p.handle.close(), () => {});
        if (readerKey !== null) this.#readers.delete(readerKey); // its decoder's state is not trusted after a failure
        if (e instanceof ConnectorError) throw e;
        throw new ConnectorError(`${this.format.name} source: cannot read ${file.path}: ${(e as Error).message}`, { cause: e });
      }
      this.#filesRead++;
    }
    return layout === null ? out.finish() : batches.length > 0 ? batches : [toRecordBatch(ColumnBatch.empty(layout.output))];
  }

  /**
   * JSON readers kept from batch to batch, by their columns and filters: a reader's decoder
   * keeps its string interners and learnt line shape, so a value repeated across batches
   * is decoded once (the JSON file tasks keep theirs likewise, json-file-task.ts). Other
   * formats' readers are made per batch (`key` null).
   */
  readonly #readers = new Map<string, FileReader>();

  #readerFor(key: string | null, columns: readonly string[] | undefined, filters: readonly SourcePredicate[] | undefined): FileReader {
    let reader = key === null ? undefined : this.#readers.get(key);
    if (reader === undefined) {
      reader = this.format.createReader(this.#dataSchema, columns, this.#malformed, filters);
      if (key !== null) {
        if (this.#readers.size >= MAX_KEPT_READERS) this.#readers.clear();
        this.#readers.set(key, reader);
      }
    }
    return reader;
  }

  get #dataSchema(): StructType {
    const data = this.partitioning.dataSchemaOf(this.schema);
    return this.withMetadata ? new StructType(data.fields.filter((f) => !isFileMetadataColumn(f.name))) : data;
  }

  /** Columns the scan fills per file rather than decodes: partition columns and `_metadata`. */
  #isFileConstant(name: string): boolean {
    return this.partitioning.isPartitionColumn(name) || (this.withMetadata && isFileMetadataColumn(name));
  }

  /** The files a pushed filter on partition columns does not rule out (they are never opened). */
  #unpruned(files: FileStatus[], request?: ReadRequest): FileStatus[] {
    return this.partitioning.isPartitioned ? files.filter((f) => this.partitioning.keeps(f.path, request?.filters)) : files;
  }

  /** When the read needs partition or metadata columns: the data columns to decode, and how to add the per-file values. */
  #partitionLayout(request?: ReadRequest): { output: StructType; dataColumns: string[]; forFile: (file: FileStatus) => PartitionColumnsLayout } | null {
    if (!this.partitioning.isPartitioned && !this.withMetadata) return null;
    const output = readSchemaOf(this.schema, request?.columns);
    const constantIndices = output.fields.flatMap((f, i) => (this.#isFileConstant(f.name) ? [i] : []));
    if (constantIndices.length === 0) return null;
    const dataColumns = output.fields.filter((f) => !this.#isFileConstant(f.name)).map((f) => f.name);
    return {
      output, dataColumns,
      forFile: (file) => {
        const values = this.partitioning.isPartitioned ? this.partitioning.valuesOf(file.path) : new Map<string, unknown>();
        const byName = new Map([...values].map(([k, v]) => [k.toLowerCase(), v]));
        return {
          output,
          constants: constantIndices.map((index) => {
            const name = output.fields[index]!.name;
            if (this.withMetadata && isFileMetadataColumn(name)) return { index, value: null, vec: (rows: number) => fileMetadataVec(file, rows) };
            return { index, value: byName.get(name.toLowerCase()) ?? null };
          }),
        };
      },
    };
  }

  /**
   * rivulet.sql.parallelism > 1: files are decoded in worker threads, several at a time,
   * and their batches come back as Arrow IPC, in file order (a replay is the same batch).
   */
  async #decodeInWorkers(files: readonly FileStatus[], request?: ReadRequest): Promise<RecordBatch[]> {
    const pool = sharedWorkerPool(this.#threads, TASK_MODULE);
    const tasks = this.#tasksOf(files, request);
    const results = await Promise.allSettled(tasks.map((task) => pool.run<JsonFileResult>(TASK_MODULE, "decodeJsonFile", [task])));
    const out: RecordBatch[] = [];
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") throw fileTaskError(files[i]!.path, r.reason as Error);
      this.#malformed.add(r.value.malformed);
      out.push(...tableFromIPC(r.value.ipc).batches);
      this.#filesRead++;
    }
    return out;
  }

  async planFileTasks(start: Offset | null, end: Offset, request: ReadRequest): Promise<JsonFileTask[]> {
    if (this.format.readsInTasks !== true) throw new ConnectorError(`${this.format.name} source: files cannot be read in tasks with these options`);
    const fileLog = await this.#log;
    return this.#tasksOf(this.#unpruned(await fileLog.filesBetween(logIndexOf(start), logIndexOf(end)), request), request);
  }

  /**
   * The tasks of the batch that would follow `after` — by latestOffset's rule: an entry
   * already logged past it, else the new files under maxFilesPerTrigger — at most `limit`,
   * logging and marking nothing: a guess to read ahead on (physical/parallel/read-ahead.ts).
   * The batch itself still reads what its logged entry says.
   */
  async nextFileTasks(after: Offset, request: ReadRequest, limit: number): Promise<JsonFileTask[]> {
    if (this.bounded || this.format.readsInTasks !== true) return [];
    const fileLog = await this.#log;
    const from = logIndexOf(after);
    const files = fileLog.latestIndex > from
      ? await fileLog.filesBetween(from, from + 1)
      : this.#newFiles().slice(0, this.policy.maxFilesPerTrigger);
    return this.#tasksOf(this.#unpruned(files, request).slice(0, limit), request);
  }

  /**
   * Spark's FileStreamSource.commit: the files of the batch that ended at `end` are
   * cleaned (cleanSource) now that its commit is written, never before.
   */
  async commit(end: Offset): Promise<void> {
    const cleaner = this.policy.cleaner;
    if (cleaner === null || this.bounded) return;
    const endIndex = logIndexOf(end);
    if (endIndex <= this.#lastCleaned) return; // a batch without new files for this source
    const fileLog = await this.#log;
    // The batch's range when this process read it; after a restart, Spark's rule: the end's own entry.
    const startIndex = this.#uncommitted.get(endIndex) ?? endIndex - 1;
    for (const k of [...this.#uncommitted.keys()]) if (k <= endIndex) this.#uncommitted.delete(k);
    this.#lastCleaned = endIndex;
    await cleaner.clean(await fileLog.filesBetween(Math.max(startIndex, -1), endIndex));
  }

  recordFileTasks(filesRead: number, malformed: number): void {
    this.#filesRead += filesRead;
    this.#malformed.add(malformed);
  }

  #tasksOf(files: readonly FileStatus[], request?: ReadRequest): JsonFileTask[] {
    const layout = this.#partitionLayout(request);
    const base = {
      schemaDdl: this.#dataSchema.toDDL(), columns: layout?.dataColumns ?? request?.columns, filters: request?.filters,
      mode: this.format.mode, corruptRecordColumn: this.format.corruptRecordColumn ?? DEFAULT_CORRUPT_RECORD_COLUMN,
      ...(this.format.timeZoneId === undefined ? {} : { timeZoneId: this.format.timeZoneId }),
    } satisfies Omit<JsonFileTask, "path">;
    return files.map((f) => {
      if (layout === null) return { ...base, path: f.path };
      return { ...base, path: f.path, partitionColumns: { outputDdl: layout.output.toDDL(), constants: layout.forFile(f).constants } };
    });
  }

  metrics(): Record<string, string> {
    return { numMalformedRecords: String(this.#malformed.count), numFilesRead: String(this.#filesRead) };
  }

  /**
   * The caller (the executor) reads a batch while its log entry is written, and waits for
   * logWritten() before it logs an offset naming the entry; otherwise latestOffset returns
   * once the entry is on disk.
   */
  writeLogLater(): void {
    this.#waitForLog = false;
  }

  #waitForLog = true;

  /** The file source log's entries logged by latestOffset are on disk. */
  async logWritten(): Promise<void> {
    await (await this.#log).written();
  }

  async stop(): Promise<void> {
    // An entry being written when the query stops: it ends on disk (or not), not midway.
    await this.logWritten().catch(() => undefined);
  }
}
