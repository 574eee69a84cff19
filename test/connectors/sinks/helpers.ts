import * as arrow from "apache-arrow";
import { toArrowTable, toRecordBatch } from "../../../src/columnar/arrow-convert.ts";
import { rowsToBatch } from "../../../src/columnar/values.ts";
import { RuntimeConfig } from "../../../src/common/config.ts";
import type { OutputMode, SinkContext } from "../../../src/connectors/sink.ts";
import type { StructType } from "../../../src/types/data-types.ts";

export function sinkContext(schema: StructType, outputMode: OutputMode = "append", options: Record<string, string> = {}): SinkContext {
  return { schema, outputMode, options, queryName: null, metadataPath: null, conf: new RuntimeConfig(), isAggregation: false };
}

/** One Arrow table of `schema`, one record batch per row list. */
export function table(schema: StructType, ...batches: unknown[][]): arrow.Table {
  const columnBatches = batches.map((rows) => rowsToBatch(schema, rows, "test"));
  if (columnBatches.length <= 1) return toArrowTable(schema, columnBatches);
  // toArrowTable gives each batch its own dictionary type, which arrow.Table refuses to
  // mix; share the first batch's schema.
  const rbs = columnBatches.map(toRecordBatch);
  const shared = rbs[0]!.schema;
  return new arrow.Table(shared, rbs.map((rb) => new arrow.RecordBatch(shared, rb.data)));
}
