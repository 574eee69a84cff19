import { create } from "@bufbuild/protobuf";
import type { StreamWriteSettings } from "../../api/data-stream-writer.ts";
import { WriteStreamOperationStartSchema, type WriteStreamOperationStart } from "../gen/spark/connect/commands_pb.ts";
import type { Relation } from "../gen/spark/connect/relations_pb.ts";

/** Where `start(path)` / `toTable(name)` send the stream; nothing for a plain `start()`. */
export type SinkDestination = { readonly path: string } | { readonly tableName: string } | null;

/**
 * The WriteStreamOperationStart `start()`/`toTable()` sends, as Spark's client builds it:
 * only what the writer was told (format, options, output mode as given, query name,
 * trigger, partitioning, path or table name), over the Dataset's Relation.
 */
export function writeStreamOperationStart(input: Relation, settings: StreamWriteSettings<any>, destination: SinkDestination): WriteStreamOperationStart {
  const t = settings.trigger;
  const trigger = t === null ? undefined
    : t.kind === "processingTime" ? { case: "processingTimeInterval" as const, value: `${t.intervalMs} milliseconds` }
      : t.kind === "once" ? { case: "once" as const, value: true }
        : { case: "availableNow" as const, value: true };
  const sink = destination === null ? undefined
    : "path" in destination ? { case: "path" as const, value: destination.path }
      : { case: "tableName" as const, value: destination.tableName };
  return create(WriteStreamOperationStartSchema, {
    input,
    ...(settings.format === null ? {} : { format: settings.format }),
    options: { ...settings.options },
    partitioningColumnNames: [...settings.partitionBy],
    ...(trigger === undefined ? {} : { trigger }),
    ...(settings.outputMode === null ? {} : { outputMode: settings.outputMode }),
    ...(settings.queryName === null ? {} : { queryName: settings.queryName }),
    ...(sink === undefined ? {} : { sinkDestination: sink }),
  });
}
