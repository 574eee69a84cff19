import type { Sink } from "../connectors/sink.ts";
import type { Source } from "../connectors/source.ts";
import type { PhysicalQuery } from "../physical/planner.ts";

/** What a query run opens and must release when it ends, however it ends. */
export interface QueryParts {
  readonly sources: readonly Source[];
  readonly physical: PhysicalQuery | null;
  readonly sink: Sink | null;
  readonly lock: { release(): Promise<void> } | null;
}

/**
 * Stops the sources, closes the stateful operators (their state stores) and re-read scans,
 * stops the sink and releases the checkpoint lock — each even when one before it fails,
 * the lock last so that no other process starts on stores still being closed. Returns the failures.
 */
export async function stopQueryParts(parts: QueryParts): Promise<unknown[]> {
  const errors: unknown[] = [];
  const keep = (e: unknown) => { errors.push(e); };
  for (const s of parts.sources) await s.stop().catch(keep);
  if (parts.physical) for (const op of parts.physical.statefulOperators) await op.close?.().catch(keep);
  if (parts.physical) for (const scan of parts.physical.rereadScans) await scan.close().catch(keep);
  await parts.sink?.stop?.().catch(keep);
  await parts.lock?.release().catch(keep);
  return errors;
}
