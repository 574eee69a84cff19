import type { RuntimeConfig } from "../common/config.ts";
import { concatBatches } from "../columnar/concat.ts";
import type { ColumnBatch } from "../columnar/column-batch.ts";
import { schemaOf } from "../expr/scope.ts";
import { someNode, type LogicalPlan } from "../plan/logical-plan.ts";
import { AnalysisError } from "../common/errors.ts";
import { planPhysical } from "../physical/planner.ts";
import { sessionZone } from "./time-zone.ts";

/** Runs a bounded plan once through the same operators a stream uses; returns one batch. */
export async function executeBatch(plan: LogicalPlan, conf: RuntimeConfig): Promise<ColumnBatch> {
  return concatBatches(schemaOf(plan.output), await executeBatches(plan, conf));
}

/**
 * executeBatch's rows as the plan's operators give them, in batches of the plan's schema not
 * joined (collect() makes rows batch by batch: resultRowsOf in columnar/rows).
 */
export async function executeBatches(plan: LogicalPlan, conf: RuntimeConfig): Promise<ColumnBatch[]> {
  // Spark's UnsupportedOperationChecker.checkForBatch.
  if (someNode(plan, (p) => p.kind === "Deduplicate" && p.withinWatermark === true)) {
    throw new AnalysisError("dropDuplicatesWithinWatermark is not supported with batch DataFrames/DataSets");
  }
  const physical = planPhysical(plan, conf);
  try {
    const out = await physical.root.execute({
      batchId: 0,
      eval: { batchTimestampMicros: Date.now() * 1000, timeZoneId: sessionZone(conf).id },
      sourceData: new Map(),
      watermarkMicros: -Infinity,
      outputMode: "complete",
      streaming: false,
    });
    const schema = schemaOf(plan.output);
    return out.map((b) => b.withSchema(schema));
  } finally {
    for (const op of physical.statefulOperators) await op.close?.();
    for (const scan of physical.rereadScans) await scan.close();
  }
}
