import { createHash } from "node:crypto";
import { sharedWorkerPool, WorkerTaskError } from "../common/worker-pool.ts";
import type { FileTaskSource } from "../connectors/source.ts";
import { fileTaskError } from "../connectors/sources/json-file-task.ts";
import { schemaOf } from "../expr/scope.ts";
import { toTransferable } from "../expr/transferable.ts";
import type { Aggregate, LogicalPlan, Scan } from "../plan/logical-plan.ts";
import type { BatchContext } from "./exec-operator.ts";
import type { PartialAggregation, PartialAggregationRunner } from "./aggregate/partial-groups.ts";
import { emptyStats, mergeStats, type EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import type { MapSidePlan, MapStage, PartialAggregateResult, PartialAggregateTask } from "./partial-aggregate-task.ts";

/** The module worker threads import to run the map side (TypeScript from sources, JavaScript when built). */
const TASK_MODULE = new URL(`./partial-aggregate-task${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

/**
 * The scan and the operators between it and a streaming aggregation, when all of them can
 * run in a worker thread: a linear chain of filters, projections and watermarks over a
 * source that reads in per-file tasks, and aggregates without DISTINCT. Otherwise, why not
 * (explain() says it, so that rivulet.sql.parallelism never promises threads it does not use).
 */
export function mapSideChain(aggregate: Aggregate): { scan: Scan; stages: MapStage[] } | string {
  if (!aggregate.isStreaming) return "not a streaming aggregation";
  if (aggregate.aggregates.some((a) => a.distinct)) return "DISTINCT aggregates merge on one thread";
  const stages: MapStage[] = [];
  let node: LogicalPlan = aggregate.input;
  for (;;) {
    switch (node.kind) {
      case "Filter": stages.unshift({ kind: "Filter", condition: node.condition }); break;
      case "Project": stages.unshift({ kind: "Project", exprs: node.exprs, schema: schemaOf(node.output) }); break;
      case "EventTimeWatermark": stages.unshift({ kind: "EventTimeWatermark", column: node.column, delayMicros: node.delayMicros }); break;
      case "SubqueryAlias": break;
      case "Scan": return node.isStreaming && node.source.readsFileTasks === true ? { scan: node, stages } : "the source is not read in per-file tasks";
      default: return `${node.kind} below the aggregation runs on one thread`;
    }
    node = node.input;
  }
}

/**
 * The map side of a streaming aggregation in worker threads (Spark's partial
 * HashAggregate before the shuffle): each file of the batch is decoded, filtered,
 * projected and folded into partial groups by a worker, partitioned by the state's hash
 * partitioning; the aggregation merges them into its partitioned state in file order, so
 * a re-run batch merges the same partials in the same order.
 */
export class WorkerPartialAggregation implements PartialAggregationRunner {
  readonly #plan: unknown;
  readonly #planKey: string;

  constructor(
    readonly scanIndex: number,
    readonly threads: number,
    plan: MapSidePlan,
    /** The plan's EventTimeWatermark operators on this thread, bottom up: they report the workers' event times. */
    readonly watermarks: readonly EventTimeWatermarkExec[],
  ) {
    this.#plan = toTransferable(plan);
    // A BIGINT literal beyond ±2^53 is a bigint, which JSON writes only through a replacer.
    this.#planKey = createHash("sha1").update(JSON.stringify(this.#plan, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).digest("hex");
  }

  describe(): string {
    return `${this.threads} worker threads`;
  }

  async run(ctx: BatchContext, merge: (partial: PartialAggregation) => void): Promise<void> {
    const read = ctx.deferredReads?.get(this.scanIndex);
    for (const w of this.watermarks) w.stats = emptyStats();
    if (read === undefined) return;
    const source = read.source as FileTaskSource;
    const files = await source.planFileTasks(read.start, read.end, read.request);
    const pool = sharedWorkerPool(this.threads, TASK_MODULE);
    // Results are merged in file order, each as soon as those before it are: merging
    // overlaps the workers' decoding instead of waiting for the whole batch.
    const done: (PartialAggregateResult | undefined)[] = new Array(files.length);
    let next = 0;
    let malformed = 0;
    const mergeReady = (): void => {
      while (next < files.length && done[next] !== undefined) {
        const result = done[next]!;
        done[next++] = undefined; // released once merged
        read.rowsRead += result.rowsRead;
        malformed += result.malformed;
        result.eventTimes.forEach((stats, k) => mergeStats(this.watermarks[k]!.stats, stats));
        merge(result);
      }
    };
    const settled = await Promise.allSettled(files.map(async (file, i) => {
      const task: PartialAggregateTask = {
        plan: this.#plan, planKey: this.#planKey, file,
        watermarkMicros: ctx.watermarkMicros, outputMode: ctx.outputMode, eval: ctx.eval,
      };
      done[i] = await pool.run<PartialAggregateResult>(TASK_MODULE, "partialAggregate", [task]);
      mergeReady();
    }));
    const failed = settled.findIndex((r) => r.status === "rejected");
    if (failed >= 0) {
      const e = (settled[failed] as PromiseRejectedResult).reason as Error;
      if (!(e instanceof WorkerTaskError)) throw e; // not the file's fault (merging failed here)
      throw fileTaskError(files[failed]!.path, e);
    }
    source.recordFileTasks(files.length, malformed);
  }
}
