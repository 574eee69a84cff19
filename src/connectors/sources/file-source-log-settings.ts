import { ConfKeys, type RuntimeConfig } from "../../common/config.ts";
import { AnalysisError } from "../../common/errors.ts";
import type { FileSourceLogSettings } from "./file-source-log.ts";
import { TIME_STRING_HELP, timeStringAsMs } from "./time-string.ts";

const PREFIX = "spark.sql.streaming.fileSource.log";

function invalid(key: string, value: string, expected: string): AnalysisError {
  return new AnalysisError(`[INVALID_CONF_VALUE] The value '${value}' in the config "${key}" is invalid: it must be ${expected}.`);
}

/** The session's spark.sql.streaming.fileSource.log.{compactInterval, deletion, cleanupDelay} and minBatchesToRetain. */
export function fileSourceLogSettingsOf(conf: RuntimeConfig): FileSourceLogSettings {
  const intervalText = conf.getOption(`${PREFIX}.compactInterval`) ?? "10";
  const compactInterval = Number(intervalText);
  if (!Number.isSafeInteger(compactInterval) || compactInterval < 1) throw invalid(`${PREFIX}.compactInterval`, intervalText, "a positive whole number");
  const deletionText = (conf.getOption(`${PREFIX}.deletion`) ?? "true").trim().toLowerCase();
  if (deletionText !== "true" && deletionText !== "false") throw invalid(`${PREFIX}.deletion`, deletionText, "true or false");
  const delayText = conf.getOption(`${PREFIX}.cleanupDelay`) ?? "10m";
  const cleanupDelayMs = timeStringAsMs(delayText);
  if (cleanupDelayMs === null || cleanupDelayMs < 0) throw invalid(`${PREFIX}.cleanupDelay`, delayText, TIME_STRING_HELP);
  const retainText = conf.getOption(ConfKeys.minBatchesToRetain) ?? "100";
  const minBatchesToRetain = Number(retainText);
  if (!Number.isSafeInteger(minBatchesToRetain) || minBatchesToRetain < 1) throw invalid(ConfKeys.minBatchesToRetain, retainText, "a positive whole number");
  return { compactInterval, deleteExpired: deletionText === "true", cleanupDelayMs, minBatchesToRetain };
}
