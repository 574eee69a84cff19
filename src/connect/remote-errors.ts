import { ConnectError } from "@connectrpc/connect";
import { AnalysisError, ExecutionError, StreamingQueryException, type RivuletError } from "../common/errors.ts";
import { ErrorInfoSchema } from "./gen/google/rpc/error_info_pb.ts";

/** What a Spark Connect server says about an error, from the ErrorInfo in the status details. */
export interface SparkErrorDetails {
  /** Spark's error class (`TABLE_OR_VIEW_NOT_FOUND`), when it has one. */
  readonly errorClass: string | null;
  readonly sqlState: string | null;
  readonly messageParameters: Readonly<Record<string, string>>;
  /** The server-side exception classes, most specific first (`org.apache.spark.sql.AnalysisException`, …). */
  readonly classes: readonly string[];
}

/** A server error as rivulet's error of the same kind, Spark's error class kept in the message and on `sparkError`. */
export type RemoteError = RivuletError & { readonly sparkError: SparkErrorDetails };

export function detailsOf(error: ConnectError): SparkErrorDetails {
  const info = error.findDetails(ErrorInfoSchema)[0];
  const metadata = info?.metadata ?? {};
  const parse = <T>(text: string | undefined, fallback: T): T => {
    if (text === undefined) return fallback;
    try { return JSON.parse(text) as T; } catch { return fallback; }
  };
  const classes = parse<string[]>(metadata.classes, info?.reason ? [info.reason] : []);
  return {
    errorClass: metadata.errorClass ?? null,
    sqlState: metadata.sqlState ?? null,
    messageParameters: parse<Record<string, string>>(metadata.messageParameters, {}),
    classes,
  };
}

/**
 * Maps a failed call to rivulet's error family: AnalysisException → AnalysisError, a
 * failed streaming query → StreamingQueryException, anything else → ExecutionError. The
 * server's message already leads with `[ERROR_CLASS]`; when it does not, the class is added.
 */
export function remoteError(error: ConnectError, query?: { id: string; runId: string }): RemoteError {
  const details = detailsOf(error);
  const raw = error.rawMessage;
  const message = details.errorClass !== null && !raw.startsWith(`[${details.errorClass}]`) ? `[${details.errorClass}] ${raw}` : raw;
  const is = (name: string): boolean => details.classes.some((c) => c.endsWith(`.${name}`) || c === name);
  let out: RivuletError;
  if (is("AnalysisException")) out = new AnalysisError(message, { cause: error });
  else if (is("StreamingQueryException")) out = new StreamingQueryException(message, query?.id ?? "", query?.runId ?? "", { cause: error });
  else out = new ExecutionError(message, { cause: error });
  return Object.assign(out, { sparkError: details });
}
