import { randomUUID } from "node:crypto";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Table } from "apache-arrow";
import { ConnectorError } from "../../common/errors.ts";
import { sessionZone } from "../../execution/time-zone.ts";
import type { StructType } from "../../types/data-types.ts";
import type { OutputMode, Sink, SinkContext, SinkFactory } from "../sink.ts";
import { writeFileAtomic } from "../../common/atomic-file.ts";
import { fileEncoderOf, type FileEncoder, type FileSinkFormat } from "./file-encoder.ts";
import { SPARK_METADATA_DIR } from "../sources/file-listing.ts";
import { PartitionedLayout, partitionColumnsOf } from "./partitioned-layout.ts";
import { jsonIgnoreNullFields } from "../../common/spark-sql-conf.ts";
import { DEFAULT_COMPACT_INTERVAL, FileSinkLog, type SinkFileStatus } from "./file-sink-log.ts";

const COMPACT_INTERVAL_KEY = "spark.sql.streaming.fileSink.log.compactInterval";
import { getOption, outputModeName, tableToBatches } from "./sink-input.ts";

export type FileFormat = FileSinkFormat;

export interface FileSinkOptions {
  readonly format: FileFormat;
  /** The output directory. */
  readonly path: string;
  readonly schema: StructType;
  /** Spark's spark.sql.streaming.fileSink.log.compactInterval (10). */
  readonly compactInterval?: number;
  /** Turns a batch's rows into the part file's content. */
  readonly encoder: FileEncoder;
  /** partitionBy: rows go to `col=value/` directories, without those columns (null: one directory). */
  readonly partitioning?: PartitionedLayout | null;
}

/**
 * Spark's FileStreamSink: each batch writes its part files (`part-<batchId>-<uuid>.<ext>`,
 * under `col=value/` directories with partitionBy,
 * each written under a hidden temp name, fsync'ed and renamed) into the output
 * directory, then commits by adding `_spark_metadata/<batchId>`. A batch at or below the
 * last committed id is a replay and is skipped, so a restarted query never duplicates
 * rows. Readers that go through the log see only committed files.
 */
export class FileSink implements Sink {
  readonly description: string;
  readonly path: string;
  readonly log: FileSinkLog;
  readonly #format: FileFormat;
  readonly #schema: StructType;
  readonly #encoder: FileEncoder;
  readonly #partitioning: PartitionedLayout | null;
  #lastBatchRows = 0;

  constructor(options: FileSinkOptions) {
    this.#format = options.format;
    this.path = resolve(options.path);
    this.#schema = options.schema;
    this.#encoder = options.encoder;
    this.#partitioning = options.partitioning ?? null;
    this.log = new FileSinkLog(FileSinkLog.metadataDir(this.path), options.compactInterval);
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
    await this.#removeUncommitted(batchId);

    const batches = tableToBatches(data, this.#schema).filter((b) => b.numRows > 0);
    const rows = batches.reduce((n, b) => n + b.numRows, 0);
    const files: SinkFileStatus[] = [];
    const groups = rows === 0 ? [] : this.#partitioning === null ? [{ directory: "", batches }] : this.#partitioning.group(batches);
    for (const group of groups) {
      const dir = join(this.path, group.directory);
      if (group.directory !== "") await mkdir(dir, { recursive: true });
      const file = join(dir, `part-${batchId}-${randomUUID()}${this.#encoder.extension}`);
      const content = this.#encoder.encode(group.batches);
      await writeFileAtomic(file, content);
      const size = typeof content === "string" ? Buffer.byteLength(content) : content.byteLength;
      const { mtimeMs } = await stat(file);
      // Paths as URIs, as Spark's sink log writes them (`file:///…`).
      files.push({ path: pathToFileURL(file).href, size, isDir: false, modificationTime: Math.floor(mtimeMs), blockReplication: 1, blockSize: 0, action: "add" });
    }
    if (!(await this.log.add(batchId, files))) {
      throw new ConnectorError(`${this.description}: batch ${batchId} was committed by another writer while this one wrote it; is a second query writing to ${this.path}?`);
    }
    this.#lastBatchRows = rows;
  }

  /** Part files of `batchId` left by an attempt that crashed before its commit: never visible, safe to drop. */
  async #removeUncommitted(batchId: number): Promise<void> {
    const prefix = `part-${batchId}-`;
    // Partition directories too (`country=US/part-…`); never the sink log.
    const names = this.#partitioning === null ? await readdir(this.path) : (await readdir(this.path, { recursive: true })).filter((n) => !n.startsWith(SPARK_METADATA_DIR));
    for (const name of names) {
      const base = basename(name);
      if (base.startsWith(prefix) || base.startsWith(`.${prefix}`)) await rm(join(this.path, name), { force: true });
    }
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
    const zone = sessionZone(context.conf);
    const columns = partitionColumnsOf(context.options);
    const partitioning = columns.length === 0 ? null : new PartitionedLayout(context.schema, columns, zone);
    const encoder = fileEncoderOf(format, context.options, partitioning?.dataSchema ?? context.schema, zone, jsonIgnoreNullFields(context.conf));
    return new FileSink({ format, path, schema: context.schema, encoder, compactInterval: interval, partitioning });
  };
}
