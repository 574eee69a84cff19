import { ConfKeys, type RuntimeConfig } from "../../common/config.ts";
import { AnalysisError } from "../../common/errors.ts";
import type { FileSourceLogSettings } from "./file-source-log.ts";
import type { LogCleanup } from "./log-compaction.ts";
import { TIME_STRING_HELP, timeStringAsMs } from "./time-string.ts";

/** The conf prefixes of the two compacting logs. */
export const FILE_SOURCE_LOG_CONF = "spark.sql.streaming.fileSource.log";
export const FILE_SINK_LOG_CONF = "spark.sql.streaming.fileSink.log";

function invalid(key: string, value: string, expected: string): AnalysisError {
  return new AnalysisError(`[INVALID_CONF_VALUE] The value '${value}' in the config "${key}" is invalid: it must be ${expected}.`);
}

/** `<prefix>.compactInterval` (default 10), a positive whole number. */
export function compactIntervalConf(conf: RuntimeConfig, prefix: string): number {
  const text = conf.getOption(`${prefix}.compactInterval`) ?? "10";
  const interval = Number(text);
  if (!Number.isSafeInteger(interval) || interval < 1) throw invalid(`${prefix}.compactInterval`, text, "a positive whole number");
  return interval;
}

/** `<prefix>.deletion` (true), `<prefix>.cleanupDelay` (10m) and spark.sql.streaming.minBatchesToRetain (100). */
export function logCleanupConf(conf: RuntimeConfig, prefix: string): LogCleanup {
  const deletion = (conf.getOption(`${prefix}.deletion`) ?? "true").trim().toLowerCase();
  if (deletion !== "true" && deletion !== "false") throw invalid(`${prefix}.deletion`, deletion, "true or false");
  const delayText = conf.getOption(`${prefix}.cleanupDelay`) ?? "10m";
  const cleanupDelayMs = timeStringAsMs(delayText);
  if (cleanupDelayMs === null || cleanupDelayMs < 0) throw invalid(`${prefix}.cleanupDelay`, delayText, TIME_STRING_HELP);
  const retainText = conf.getOption(ConfKeys.minBatchesToRetain) ?? "100";
  const minBatchesToRetain = Number(retainText);
  if (!Number.isSafeInteger(minBatchesToRetain) || minBatchesToRetain < 1) throw invalid(ConfKeys.minBatchesToRetain, retainText, "a positive whole number");
  return { deleteExpired: deletion === "true", cleanupDelayMs, minBatchesToRetain };
}

/** The session's settings of the file source log. */
export function fileSourceLogSettingsOf(conf: RuntimeConfig): FileSourceLogSettings {
  return { compactInterval: compactIntervalConf(conf, FILE_SOURCE_LOG_CONF), ...logCleanupConf(conf, FILE_SOURCE_LOG_CONF) };
}
