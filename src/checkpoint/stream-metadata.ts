import { randomUUID } from "node:crypto";
import { StateError } from "../common/errors.ts";
import { readFileIfExists, writeFileAtomicIfAbsent } from "../common/atomic-file.ts";
import type { CheckpointPaths } from "./paths.ts";

/**
 * What a checkpoint must agree with to be restarted from: the sources in order (a
 * source's offsets are stored by index) and the stateful operators in order (state
 * lives under state/<operatorId>). The strings are descriptions chosen by the planner,
 * e.g. "json[/data/in]" or "StatefulAggregate[keys: word]".
 */
export interface QueryFingerprint {
  readonly sources: readonly string[];
  readonly statefulOperators: readonly string[];
}

/** The checkpoint's `metadata` file (Spark's StreamMetadata) plus rivulet's fingerprint. */
export interface StreamMetadata {
  /** The query id, the same across restarts (StreamingQuery.id). */
  readonly id: string;
  readonly fingerprint: QueryFingerprint;
}

/**
 * Reads `metadata`, or writes it on the first start. On a restart, refuses (StateError) a
 * query whose fingerprint differs from the one that wrote the checkpoint. A file without a
 * fingerprint (written by Spark) is accepted as is.
 */
export async function loadOrCreateStreamMetadata(paths: CheckpointPaths, fingerprint: QueryFingerprint, newId: string = randomUUID()): Promise<StreamMetadata> {
  const existing = await readStreamMetadata(paths);
  if (existing === null) {
    const created: StreamMetadata = { id: newId, fingerprint: copyFingerprint(fingerprint) };
    const text = JSON.stringify({ id: created.id, fingerprint: created.fingerprint });
    if (await writeFileAtomicIfAbsent(paths.metadata, text)) return created;
    // Another process started the same query at the same moment: use what it wrote.
    return loadOrCreateStreamMetadata(paths, fingerprint, newId);
  }
  if (existing.fingerprint !== null) {
    const problem = describeFingerprintMismatch(paths.root, existing.fingerprint, fingerprint);
    if (problem !== null && problem.startsWith(`[${STATEFUL_OPERATORS_NOT_MATCH}]`)) throw new StatefulOperatorsNotMatchError(problem);
    if (problem !== null) throw new StateError(problem);
  }
  return { id: existing.id, fingerprint: existing.fingerprint ?? copyFingerprint(fingerprint) };
}

/** The metadata file's content, or null if the checkpoint has none yet. */
export async function readStreamMetadata(paths: CheckpointPaths): Promise<{ id: string; fingerprint: QueryFingerprint | null } | null> {
  const text = await readFileIfExists(paths.metadata, "utf8");
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateError(`checkpoint metadata file ${paths.metadata} is not valid JSON`, { cause: error });
  }
  const record = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  if (typeof record.id !== "string" || record.id === "") {
    throw new StateError(`checkpoint metadata file ${paths.metadata} has no query id ("id")`);
  }
  return { id: record.id, fingerprint: parseFingerprint(record.fingerprint, paths.metadata) };
}

const STATEFUL_OPERATORS_NOT_MATCH = "STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA";

/**
 * A restart whose stateful operators (their number, order or kind) differ from the ones
 * that wrote the checkpoint's state (Spark 4's error class of that name). Not retried.
 */
export class StatefulOperatorsNotMatchError extends StateError {
  readonly errorClass = STATEFUL_OPERATORS_NOT_MATCH;
}

/**
 * Pure decision: null if a checkpoint written by `stored` can be run by `current`, else the
 * message, which starts with Spark's error class when the stateful operators differ.
 */
export function describeFingerprintMismatch(location: string, stored: QueryFingerprint, current: QueryFingerprint): string | null {
  const problems: string[] = [];
  if (!sameList(stored.sources, current.sources)) {
    problems.push(`sources ${formatList(stored.sources)} but this query has ${formatList(current.sources)}`);
  }
  if (!sameList(stored.statefulOperators, current.statefulOperators)) {
    problems.push(
      `stateful operators ${formatList(stored.statefulOperators)} but this query has ${formatList(current.statefulOperators)}`,
    );
  }
  if (problems.length === 0) return null;
  const operatorsDiffer = !sameList(stored.statefulOperators, current.statefulOperators);
  return (
    (operatorsDiffer ? `[${STATEFUL_OPERATORS_NOT_MATCH}] ` : "") +
    `checkpoint at ${location} was written by a query with ${problems.join("; and with ")}. ` +
    `A checkpoint can only be restarted by the same query; use a new checkpoint location for a changed query`
  );
}

function parseFingerprint(value: unknown, file: string): QueryFingerprint | null {
  if (value === undefined) return null;
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!isStrings(record.sources) || !isStrings(record.statefulOperators)) {
    throw new StateError(`checkpoint metadata file ${file} has a malformed query fingerprint: ${JSON.stringify(value)}`);
  }
  return { sources: record.sources, statefulOperators: record.statefulOperators };
}

function copyFingerprint(f: QueryFingerprint): QueryFingerprint {
  return { sources: [...f.sources], statefulOperators: [...f.statefulOperators] };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function formatList(items: readonly string[]): string {
  return `[${items.join(", ")}]`;
}
