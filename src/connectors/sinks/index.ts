import { ConnectorError } from "../../common/errors.ts";
import type { SinkFactory } from "../sink.ts";
import { consoleSinkFactory } from "./console-sink.ts";
import { fileSinkFactory } from "./file-sink.ts";
import { jdbcSinkFactory } from "../jdbc/jdbc-sink.ts";
import { memorySinkFactory } from "./memory-sink.ts";
import { natsSinkFactory } from "../nats/nats-sink.ts";
import { redisSinkFactory } from "../redis/redis-sink.ts";
import { shortFormatName } from "../format-names.ts";

export { ConsoleSink, consoleSinkFactory, type ConsoleSinkOptions, type TextOutput } from "./console-sink.ts";
export { MemorySink, memorySinkFactory } from "./memory-sink.ts";
export { FileSink, fileSinkFactory, type FileFormat } from "./file-sink.ts";
export { FileSinkLog, type SinkFileStatus } from "./file-sink-log.ts";

const FACTORIES = new Map<string, () => SinkFactory>([
  ["console", () => consoleSinkFactory()],
  ["csv", () => fileSinkFactory("csv")],
  ["jdbc", () => jdbcSinkFactory],
  ["json", () => fileSinkFactory("json")],
  ["memory", () => memorySinkFactory],
  ["parquet", () => fileSinkFactory("parquet")],
  ["text", () => fileSinkFactory("text")],
  ["nats", () => natsSinkFactory],
  ["redis", () => redisSinkFactory],
]);

/**
 * The sink factory for `writeStream.format(name)` (case-insensitive). `foreachBatch`
 * and the session's memory tables are wired by the session layer.
 */
export function resolveSinkFactory(format: string): SinkFactory {
  const make = FACTORIES.get(shortFormatName(format));
  if (make === undefined) {
    throw new ConnectorError(`unknown sink format '${format}'; known formats: ${[...FACTORIES.keys()].join(", ")} (and foreachBatch)`);
  }
  return make();
}
