import type { Table } from "apache-arrow";
import { showString } from "../../columnar/show-string.ts";
import { ConfKeys } from "../../common/config.ts";
import { UTC, zoneRules, type ZoneRules } from "../../common/time-zone.ts";
import type { StructType } from "../../types/data-types.ts";
import type { OutputMode, Sink, SinkContext, SinkFactory } from "../sink.ts";
import { booleanOption, getOption, headOf, intOption, tableSchema, tableToBatches } from "./sink-input.ts";

/** Where the console sink prints: process.stdout by default, anything with `write` in tests. */
export interface TextOutput {
  write(text: string): unknown;
}

export interface ConsoleSinkOptions {
  /** Rows printed per batch (Spark's `numRows`, 20). */
  readonly numRows?: number;
  /** Cut cells longer than 20 characters (Spark's `truncate`, true), or a width. */
  readonly truncate?: boolean | number;
  readonly out?: TextOutput;
  readonly schema?: StructType;
  /** The session time zone, in which timestamps are printed (as Spark's console sink). */
  readonly zone?: ZoneRules;
}

const RULE = "-------------------------------------------";

/**
 * Spark's console sink: prints each batch under a `Batch: <id>` banner as `show()` would,
 * followed by an empty line. Printing twice on replay is what Spark does too (the console
 * is not transactional), so the sink keeps no state.
 */
export class ConsoleSink implements Sink {
  readonly description = "ConsoleSink";
  readonly #numRows: number;
  readonly #truncate: boolean | number;
  readonly #out: TextOutput;
  readonly #schema: StructType | undefined;
  readonly #zone: ZoneRules;
  #lastBatchRows = 0;

  constructor(options: ConsoleSinkOptions = {}) {
    this.#numRows = options.numRows ?? 20;
    this.#truncate = options.truncate ?? true;
    this.#out = options.out ?? process.stdout;
    this.#schema = options.schema;
    this.#zone = options.zone ?? UTC;
  }

  get lastBatchRows(): number {
    return this.#lastBatchRows;
  }

  async addBatch(batchId: number, data: Table, _outputMode: OutputMode): Promise<void> {
    const schema = tableSchema(data, this.#schema);
    const batches = tableToBatches(data, schema);
    const total = batches.reduce((n, b) => n + b.numRows, 0);
    const head = headOf(schema, batches, this.#numRows);
    this.#lastBatchRows = total;
    // One write per batch, so that concurrent queries do not interleave lines.
    this.#out.write(`${RULE}\nBatch: ${batchId}\n${RULE}\n${showString(head, this.#numRows, this.#truncate, false, total > this.#numRows, this.#zone)}\n`);
  }
}

/** The factory behind `format("console")`; `out` replaces process.stdout (tests, embedding). */
export function consoleSinkFactory(out?: TextOutput): SinkFactory {
  return (context: SinkContext) => {
    const where = "console sink";
    const truncateText = getOption(context.options, "truncate");
    // Spark takes true/false; a width is accepted as well, like show(n, truncate = width).
    const truncate = truncateText !== undefined && /^\s*\d+\s*$/.test(truncateText)
      ? Number(truncateText)
      : booleanOption(context.options, "truncate", true, where);
    return new ConsoleSink({
      numRows: intOption(context.options, "numRows", 20, where),
      truncate,
      schema: context.schema,
      zone: zoneRules(context.conf.get(ConfKeys.sessionTimeZone) ?? "UTC"),
      ...(out !== undefined ? { out } : {}),
    });
  };
}
