import { AnalysisError } from "../../common/errors.ts";
import type { ColumnBatch } from "../../columnar/column-batch.ts";
import { executeBatch } from "../../execution/batch-execution.ts";
import type { LogicalPlan } from "../../plan/logical-plan.ts";
import type { Session } from "../../session/session.ts";

/**
 * A local Dataset's action: batch plans only (a streaming one runs through writeStream),
 * over the session's cached data where the plan reads a cached Dataset, optimized, as one batch.
 */
export async function runLocalPlan(session: Session, plan: LogicalPlan, action: string): Promise<ColumnBatch> {
  if (plan.isStreaming) {
    throw new AnalysisError(`Queries with streaming sources must be executed with writeStream.start(); ${action}() is not available on a streaming Dataset`);
  }
  const execute = (p: LogicalPlan) => executeBatch(session.optimizePlan(p), session.conf);
  return execute(await session.catalog.cacheManager.useCachedData(plan, execute));
}
