/**
 * One typed error family, one class per phase. Every message says what is wrong and
 * where, so that a user can act on it; `cause` keeps the underlying error.
 */
export abstract class RivuletError extends Error {
  abstract readonly phase: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Syntax errors in SQL, DDL strings, durations; carries line and column (1-based). */
export class ParseError extends RivuletError {
  readonly phase = "parse";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    options?: { cause?: unknown },
  ) {
    super(`${message} (line ${line}, column ${column})`, options);
  }
}

/** What Spark's SparkThrowable says besides the message: the error class, its SQLSTATE and the message's parameters. */
export interface SparkErrorFields {
  readonly errorClass?: string;
  readonly sqlState?: string;
  readonly messageParameters?: Readonly<Record<string, string>>;
}

/** Name/type resolution failures and operations a (streaming) query cannot do: Spark's AnalysisException. */
export class AnalysisError extends RivuletError {
  readonly phase = "analysis";
  /** Spark's error class (`UNRESOLVED_COLUMN.WITH_SUGGESTION`): as given, else the one the message leads with; null when it has none. */
  readonly errorClass: string | null;
  /** The class's SQLSTATE (`42703`), when known. */
  readonly sqlState: string | null;
  /** The values the message was made of (`objectName`, `proposal`, …), when given. */
  readonly messageParameters: Readonly<Record<string, string>>;
  constructor(message: string, options?: { cause?: unknown } & SparkErrorFields) {
    super(message, options);
    this.errorClass = options?.errorClass ?? /^\[(_?[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)*)\]/.exec(message)?.[1] ?? null;
    this.sqlState = options?.sqlState ?? null;
    this.messageParameters = options?.messageParameters ?? {};
  }
}

/** Spark's name, for users who catch it by that name. */
export { AnalysisError as AnalysisException };

/** A query failed while running a batch. */
export class ExecutionError extends RivuletError {
  readonly phase = "execution";
}

/** The state store or a checkpoint could not be read or written, or does not match the query. */
export class StateError extends RivuletError {
  readonly phase = "state";
}

/** A source or sink failed: bad options, unreachable system, malformed input in FAILFAST mode. */
export class ConnectorError extends RivuletError {
  readonly phase = "connector";
}

/**
 * A connector error that restarting the query would only repeat: wrong credentials, a
 * missing database, a table that does not fit, a constraint the rows break, or a system
 * still down after the connector's own retries (`retryMaxDuration`) ran out.
 */
export class PermanentConnectorError extends ConnectorError {}

/** A bug in rivulet: an invariant that should hold did not. */
export class InternalError extends RivuletError {
  readonly phase = "internal";
}

/** Used at the end of exhaustive switches so that a new union member breaks the build. */
export function assertNever(value: never, what = "value"): never {
  throw new InternalError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** A streaming query stopped because a batch failed (Spark's StreamingQueryException); `cause` is the failure. */
export class StreamingQueryException extends ExecutionError {
  constructor(message: string, readonly queryId: string, readonly runId: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Two queries on one checkpoint (Spark's ConcurrentModificationException): another
 * process (or query) holds the checkpoint's lock, or wrote a log entry this one meant to write.
 */
export class ConcurrentQueryError extends StateError {}
