import { AnalysisError } from "../common/errors.ts";
import { FILE_SINK_FORMATS, type FileSinkFormat } from "../connectors/sinks/file-encoder.ts";
import { saveModeOf, writeFilesBatch, type SaveMode } from "../connectors/sinks/file-batch-write.ts";
import type { Dataset } from "./dataset.ts";

/**
 * Spark's DataFrameWriter (`df.write`): a batch Dataset's rows written once, as files
 * of a format (parquet by default, as `spark.sql.sources.default`), under a save mode.
 */
export class DataFrameWriter<T> {
  #format = "parquet";
  #mode: SaveMode = "errorifexists";
  readonly #options: Record<string, string> = {};

  constructor(readonly ds: Dataset<T>) {}

  format(source: string): this { this.#format = source.toLowerCase(); return this; }

  /** "append", "overwrite", "ignore", "error" / "errorifexists" (the default). */
  mode(saveMode: string): this { this.#mode = saveModeOf(saveMode); return this; }

  option(key: string, value: string | number | boolean): this { this.#options[key] = String(value); return this; }

  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
    return this;
  }

  /** Runs the query and writes its rows under `path` (or the `path` option). */
  async save(path?: string): Promise<void> {
    const target = path ?? Object.entries(this.#options).find(([k]) => k.toLowerCase() === "path")?.[1];
    if (target === undefined || target.trim() === "") throw new AnalysisError(`'path' is not specified: pass a directory to save() or .${this.#format}()`);
    if (!(FILE_SINK_FORMATS as readonly string[]).includes(this.#format)) {
      throw new AnalysisError(`Data source ${this.#format} does not support batch writes here; use one of ${FILE_SINK_FORMATS.join(", ")}`);
    }
    const batch = await this.ds.executeToBatch("write");
    await writeFilesBatch({ format: this.#format as FileSinkFormat, path: target, mode: this.#mode, options: this.#options, schema: batch.schema }, [batch]);
  }

  parquet(path: string): Promise<void> { return this.format("parquet").save(path); }
  json(path: string): Promise<void> { return this.format("json").save(path); }
  csv(path: string): Promise<void> { return this.format("csv").save(path); }
}
