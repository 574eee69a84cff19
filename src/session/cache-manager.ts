import type { ColumnBatch } from "../columnar/column-batch.ts";
import { AnalysisError } from "../common/errors.ts";
import { inputsOf, withInputs, type LogicalPlan } from "../plan/logical-plan.ts";
import { localRelation } from "../plan/plan-builder.ts";
import { schemaOf } from "../expr/scope.ts";

/** One cached plan: its rows once computed (null until the first action that reads it, or after an invalidation). */
interface CacheEntry {
  data: ColumnBatch | null;
  /** `CACHE TABLE t`: the table's name, for UNCACHE TABLE and isCached. */
  readonly tableName: string | null;
}

/**
 * Cached query results (Spark's CacheManager): `df.cache()`, `CACHE TABLE t`. An entry is a
 * logical plan, matched by identity wherever it appears in a later query's plan — a Dataset
 * derived from a cached one holds its plan as a child, and a cached table's name resolves to
 * one stable plan — and is replaced there by the rows computed the first time an action
 * needed them (Spark's cache is lazy too). A batch write invalidates the rows of every entry,
 * which are then computed again at the next use (Spark re-caches the plans that read the
 * written table; rivulet does not track which, so it recomputes them all).
 */
export class CacheManager {
  readonly #entries = new Map<LogicalPlan, CacheEntry>();

  cache(plan: LogicalPlan, tableName: string | null = null): void {
    if (plan.isStreaming) throw new AnalysisError("Queries with streaming sources must be executed with writeStream.start(); a streaming Dataset cannot be cached");
    if (!this.#entries.has(plan)) this.#entries.set(plan, { data: null, tableName });
  }

  uncache(plan: LogicalPlan): boolean {
    return this.#entries.delete(plan);
  }

  isCached(plan: LogicalPlan): boolean {
    return this.#entries.has(plan);
  }

  clear(): void {
    this.#entries.clear();
  }

  /** After a write: every entry's rows are computed again when next used. */
  invalidate(): void {
    for (const entry of this.#entries.values()) entry.data = null;
  }

  /** Spark's refreshTable: this entry's rows are computed again when next used. */
  refresh(plan: LogicalPlan): void {
    const entry = this.#entries.get(plan);
    if (entry !== undefined) entry.data = null;
  }

  /** How many entries hold their rows (for tests and the UI). */
  get materializedCount(): number {
    return [...this.#entries.values()].filter((e) => e.data !== null).length;
  }

  /**
   * `plan` with every cached subtree replaced by its rows, computing (with `execute`) those not
   * yet held. Top-down, so the outermost cached plan wins.
   */
  async useCachedData(plan: LogicalPlan, execute: (p: LogicalPlan) => Promise<ColumnBatch>): Promise<LogicalPlan> {
    if (this.#entries.size === 0) return plan;
    const entry = this.#entries.get(plan);
    if (entry !== undefined) {
      // Computed over the cached data of the plans below it, if any.
      if (entry.data === null) entry.data = await execute(await this.#children(plan, execute));
      const data = entry.data;
      const relation = localRelation(`InMemoryRelation${entry.tableName === null ? "" : ` ${entry.tableName}`}`, schemaOf(plan.output), () => [data]);
      return Object.freeze({ ...relation, output: plan.output });
    }
    return this.#children(plan, execute);
  }

  async #children(plan: LogicalPlan, execute: (p: LogicalPlan) => Promise<ColumnBatch>): Promise<LogicalPlan> {
    const inputs = inputsOf(plan);
    if (inputs.length === 0) return plan;
    const replaced: LogicalPlan[] = [];
    for (const p of inputs) replaced.push(await this.useCachedData(p, execute));
    return withInputs(plan, replaced);
  }
}
