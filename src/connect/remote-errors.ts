import { ConnectError } from "@connectrpc/connect";
import { AnalysisError, ExecutionError, StreamingQueryException, type RivuletError } from "../common/errors.ts";
import { ErrorInfoSchema } from "./gen/google/rpc/error_info_pb.ts";
import type { FetchErrorDetailsResponse } from "./gen/spark/connect/base_pb.ts";

/** What a Spark Connect server says about an error, from the ErrorInfo in the status details. */
export interface SparkErrorDetails {
  /** Spark's error class (`TABLE_OR_VIEW_NOT_FOUND`), when it has one. */
  readonly errorClass: string | null;
  readonly sqlState: string | null;
  readonly messageParameters: Readonly<Record<string, string>>;
  /** The server-side exception classes, most specific first (`org.apache.spark.sql.AnalysisException`, …). */
  readonly classes: readonly string[];
  /** The key of the server's full error (FetchErrorDetails), when the server keeps it (`spark.sql.connect.enrichError.enabled`). */
  readonly errorId?: string;
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
    ...(metadata.errorId ? { errorId: metadata.errorId } : {}),
  };
}

/**
 * The status details completed by the server's full error (FetchErrorDetails): the server
 * leaves the error class and parameters out of ErrorInfo when they are too long for its
 * metadata, and cuts long messages; the root error it keeps has both.
 */
function withFetchedDetails(details: SparkErrorDetails, rawMessage: string, fetched: FetchErrorDetailsResponse | null | undefined): { details: SparkErrorDetails; message: string } {
  const root = fetched?.rootErrorIdx === undefined ? undefined : fetched.errors[fetched.rootErrorIdx];
  if (root === undefined) return { details, message: rawMessage };
  const thrown = root.sparkThrowable;
  return {
    details: {
      ...details,
      errorClass: details.errorClass ?? thrown?.errorClass ?? null,
      sqlState: details.sqlState ?? thrown?.sqlState ?? null,
      messageParameters: Object.keys(details.messageParameters).length > 0 ? details.messageParameters : { ...(thrown?.messageParameters ?? {}) },
      classes: details.classes.length > 0 ? details.classes : root.errorTypeHierarchy,
    },
    message: root.message !== "" ? root.message : rawMessage,
  };
}

/**
 * Maps a failed call to rivulet's error family: AnalysisException → AnalysisError, a
 * failed streaming query → StreamingQueryException, anything else → ExecutionError. The
 * server's message already leads with `[ERROR_CLASS]`; when it does not, the class is added.
 * `fetched` (the server's FetchErrorDetails answer) fills in what the status details lack.
 */
export function remoteError(error: ConnectError, query?: { id: string; runId: string }, fetched?: FetchErrorDetailsResponse | null): RemoteError {
  const { details, message: raw } = withFetchedDetails(detailsOf(error), error.rawMessage, fetched);
  const message = details.errorClass !== null && !raw.startsWith(`[${details.errorClass}]`) ? `[${details.errorClass}] ${raw}` : raw;
  const is = (name: string): boolean => details.classes.some((c) => c.endsWith(`.${name}`) || c === name);
  let out: RivuletError;
  if (is("AnalysisException")) out = new AnalysisError(message, { cause: error });
  else if (is("StreamingQueryException")) {
    // STREAM_FAILED names the query in its parameters when the caller does not know it (awaitAnyTermination).
    const params = details.messageParameters;
    out = new StreamingQueryException(message, query?.id ?? params.id ?? "", query?.runId ?? params.runId ?? "", { cause: error });
  }
  else out = new ExecutionError(message, { cause: error });
  const mapped = Object.assign(out, { sparkError: details });
  if (fetched) fetchedFor.set(mapped, fetched);
  return mapped;
}

/** The FetchErrorDetails answer an error was completed with, kept to remap it for a query without asking again. */
const fetchedFor = new WeakMap<RemoteError, FetchErrorDetailsResponse>();

/** The error remapped for the query it concerns (a failed query's StreamingQueryException names it). */
export function forQuery(error: RemoteError & { readonly cause: ConnectError }, query: { id: string; runId: string }): RemoteError {
  return remoteError(error.cause, query, fetchedFor.get(error) ?? null);
}

/** An error a Spark Connect server sent, as remoteError() mapped it. */
export function isRemoteError(error: unknown): error is RemoteError & { readonly cause: ConnectError } {
  return error instanceof Error && "sparkError" in error && error.cause instanceof ConnectError;
}
