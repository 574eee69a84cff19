import { AnalysisError } from "../../common/errors.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { executeBatch, executeBatches } from "../../execution/batch-execution.ts";
import { schemaOf } from "../../expr/scope.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import type { Session } from "../../session/session.ts";
import type { StructType } from "../../types/data-types.ts";

/**
 * A local Dataset's action: batch plans only (a streaming one runs through writeStream),
 * over the session's cached data where the plan reads a cached Dataset, optimized, as one batch.
 */
export async function runLocalPlan(session: Session, plan: LogicalPlan, action: string): Promise<ColumnBatch> {
  const execute = (p: LogicalPlan) => executeBatch(session.optimizePlan(p), session.conf);
  return execute(await cachedPlan(session, plan, action, execute));
}

/**
 * runLocalPlan's batches as the plan made them, not joined into one: collect() builds its
 * rows batch by batch (a complete-mode memory table is kept in chunks; joining them would copy it).
 */
export async function runLocalPlanBatches(session: Session, plan: LogicalPlan, action: string): Promise<{ schema: StructType; batches: ColumnBatch[] }> {
  const execute = (p: LogicalPlan) => executeBatch(session.optimizePlan(p), session.conf);
  const optimized = session.optimizePlan(await cachedPlan(session, plan, action, execute));
  return { schema: schemaOf(optimized.output), batches: await executeBatches(optimized, session.conf) };
}

function cachedPlan(session: Session, plan: LogicalPlan, action: string, execute: (p: LogicalPlan) => Promise<ColumnBatch>): Promise<LogicalPlan> {
  if (plan.isStreaming) {
    throw new AnalysisError(`Queries with streaming sources must be executed with writeStream.start(); ${action}() is not available on a streaming Dataset`);
  }
  return session.catalog.cacheManager.useCachedData(plan, execute);
}
