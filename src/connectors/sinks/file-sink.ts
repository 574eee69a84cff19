import { randomUUID } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Table } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { sessionZone } from "../../execution/time-zone.ts";
import type { StructType } from "../../types/data-types.ts";
import type { OutputMode, Sink, SinkContext, SinkFactory } from "../sink.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { fileEncoderOf, type FileEncoder, type FileSinkFormat } from "./file-encoder.ts";
import { PartitionedLayout, partitionColumnsOf } from "./partitioned-layout.ts";
import { jsonIgnoreNullFields } from "../../common/spark-sql-conf.ts";
import { DEFAULT_COMPACT_INTERVAL, FileSinkLog, type SinkFileStatus } from "./file-sink-log.ts";
import { PendingPartFiles } from "./file-sink-pending.ts";
import { FILE_SINK_LOG_CONF, logCleanupConf } from "../sources/file-source-log-settings.ts";
import type { LogCleanup } from "../sources/log-compaction.ts";
import { MAX_RECORDS_PER_FILE_KEY, maxRecordsPerFileOf, partFileName, splitByRecords } from "./part-files.ts";
import { getOption, outputModeName, tableToBatches } from "./sink-input.ts";

const COMPACT_INTERVAL_KEY = "spark.sql.streaming.fileSink.log.compactInterval";

export type FileFormat = FileSinkFormat;

export interface FileSinkOptions {
  readonly format: FileFormat;
  /** The output directory. */
  readonly path: string;
  readonly schema: StructType;
  /** Spark's spark.sql.streaming.fileSink.log.compactInterval (10). */
  readonly compactInterval?: number;
  /** Spark's spark.sql.streaming.fileSink.log.deletion and cleanupDelay, with minBatchesToRetain. */
  readonly logCleanup?: LogCleanup;
  /** Turns a batch's rows into the part file's content. */
  readonly encoder: FileEncoder;
  /** partitionBy: rows go to `col=value/` directories, without those columns (null: one directory). */
  readonly partitioning?: PartitionedLayout | null;
  /** Spark's maxRecordsPerFile: rows past it go to the next file (c001, …); Infinity: no limit. */
  readonly maxRecordsPerFile?: number;
}

/**
 * Spark's FileStreamSink: each batch writes its part files (Spark's names,
 * `part-00000-<uuid>-c000.<ext>`, a uuid per file as its ManifestFileCommitProtocol gives;
 * under `col=value/` directories with partitionBy, `….c000.<ext>`; c001, … past
 * maxRecordsPerFile), each written under a hidden temp name, fsync'ed and renamed, into
 * the output directory, then commits by adding `_spark_metadata/<batchId>`. A batch at or
 * below the last committed id is a replay and is skipped, so a restarted query never
 * duplicates rows. Readers that go through the log see only committed files; the files
 * of an attempt that crashed before its commit are deleted when the batch runs again.
 */
export class FileSink implements Sink {
  readonly description: string;
  readonly path: string;
  readonly log: FileSinkLog;
  readonly #format: FileFormat;
  readonly #schema: StructType;
  readonly #encoder: FileEncoder;
  readonly #partitioning: PartitionedLayout | null;
  readonly #maxRecordsPerFile: number;
  readonly #pending: PendingPartFiles;
  /** Whether a crashed (or failed) attempt may have left files that no commit covers. */
  #mayHaveUncommitted = true;
  #lastBatchRows = 0;

  constructor(options: FileSinkOptions) {
    this.#format = options.format;
    this.path = resolve(options.path);
    this.#schema = options.schema;
    this.#encoder = options.encoder;
    this.#partitioning = options.partitioning ?? null;
    this.#maxRecordsPerFile = options.maxRecordsPerFile ?? Infinity;
    this.log = new FileSinkLog(FileSinkLog.metadataDir(this.path), options.compactInterval, options.logCleanup);
    this.#pending = new PendingPartFiles(this.log.dir, this.path);
    this.description = `FileSink[${this.path}]`;
  }

  get lastBatchRows(): number {
    return this.#lastBatchRows;
  }

  async addBatch(batchId: number, data: Table, outputMode: OutputMode): Promise<void> {
    if (outputMode !== "append") throw unsupportedMode(this.#format, outputMode);
    const latest = await this.log.latestBatchId();
    if (latest !== null && batchId <= latest) {
      this.#lastBatchRows = 0;
      return;
    }
    // The log directory exists before the first part file does: from then on readers list
    // committed files only, so even batch 0's files stay unseen until its entry is written.
    await mkdir(this.log.dir, { recursive: true });
    if (this.#mayHaveUncommitted) {
      await this.#pending.removeUncommitted(latest);
      await this.#pending.removeLegacyUncommitted(batchId, this.#partitioning !== null);
    }
    this.#mayHaveUncommitted = true; // until this batch is committed

    const batches = tableToBatches(data, this.#schema).filter((b) => b.numRows > 0);
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    const groups = rows === 0 ? [] : this.#partitioning === null ? [{ directory: "", batches }] : this.#partitioning.group(batches);
    const planned = groups.flatMap((group) => splitByRecords(group.batches, this.#maxRecordsPerFile).map((fileBatches, counter) => ({
      directory: group.directory,
      file: join(this.path, group.directory, partFileName(0, randomUUID(), counter, this.#encoder.extension, this.#partitioning !== null)),
      batches: fileBatches,
    })));
    if (planned.length > 0) await this.#pending.record(batchId, planned.map((p) => relative(this.path, p.file)));
    const files: SinkFileStatus[] = [];
    for (const { directory, file, batches: fileBatches } of planned) {
      if (directory !== "") await mkdir(join(this.path, directory), { recursive: true });
      const content = this.#encoder.encode(fileBatches);
      await writeFileAtomic(file, content);
      const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
      const { mtimeMs } = await stat(file);
      // Paths as URIs, as Spark's sink log writes them (`file:///…`).
      files.push({ path: pathToFileURL(file).href, size, isDir: false, modificationTime: Math.floor(mtimeMs), blockReplication: 1, blockSize: 0, action: "add" });
    }
    if (!(await this.log.add(batchId, files))) {
      throw new ConnectorError(`${this.description}: batch ${batchId} was committed by another writer while this one wrote it; is a second query writing to ${this.path}?`);
    }
    await this.#pending.clear(batchId);
    this.#mayHaveUncommitted = false;
    this.#lastBatchRows = rows;
  }
}

function unsupportedMode(format: FileFormat, mode: OutputMode): ConnectorError {
  return new ConnectorError(`Data source ${format} does not support ${outputModeName(mode)} output mode; file sinks support only Append`);
}

/** The factory behind `format("json" | "csv" | "parquet")`: checks options, mode and schema before the query starts. */
export function fileSinkFactory(format: FileFormat): SinkFactory {
  return (context: SinkContext) => {
    const path = getOption(context.options, "path");
    if (path === undefined || path.trim() === "") {
      throw new ConnectorError(`'path' is not specified: the ${format} sink needs option("path", <output directory>) or start(<path>)`);
    }
    if (context.outputMode !== "append") throw unsupportedMode(format, context.outputMode);
    const interval = Number(context.conf.get(COMPACT_INTERVAL_KEY) ?? DEFAULT_COMPACT_INTERVAL);
    if (!Number.isInteger(interval) || interval < 1) throw new ConnectorError(`${COMPACT_INTERVAL_KEY} must be a positive integer, not '${context.conf.get(COMPACT_INTERVAL_KEY)}'`);
    const logCleanup = logCleanupConf(context.conf, FILE_SINK_LOG_CONF);
    const zone = sessionZone(context.conf);
    const columns = partitionColumnsOf(context.options);
    const partitioning = columns.length === 0 ? null : new PartitionedLayout(context.schema, columns, zone);
    const encoder = fileEncoderOf(format, context.options, partitioning?.dataSchema ?? context.schema, zone, jsonIgnoreNullFields(context.conf));
    const maxRecordsPerFile = maxRecordsPerFileOf(context.options, context.conf.getOption(MAX_RECORDS_PER_FILE_KEY));
    return new FileSink({ format, path, schema: context.schema, encoder, compactInterval: interval, logCleanup, partitioning, maxRecordsPerFile });
  };
}
