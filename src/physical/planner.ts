import { assertNever } from "../common/errors.ts";
import type { RuntimeConfig } from "../common/config.ts";
import { joinOutputColumns } from "../plan/join-output.ts";
import { schemaOf } from "../expr/scope.ts";
import { eventTimeDelayOf } from "../plan/plan-builder.ts";
import { someNode, type Aggregate, type LogicalPlan, type Scan } from "../plan/logical-plan.ts";
import type { ExecOperator, StatefulOperator } from "./exec-operator.ts";
import { forEachOperator, isStateful } from "./exec-operator.ts";
import { AggregateExec, type EventTimeKey } from "./aggregate/aggregate-exec.ts";
import { mapSideChain, WorkerPartialAggregation } from "./parallel-aggregation.ts";
import { ConfKeys } from "../common/config.ts";
import { DeduplicateExec } from "./operators/deduplicate-exec.ts";
import { EventTimeWatermarkExec } from "./operators/event-time-watermark-exec.ts";
import { FilterExec } from "./operators/filter-exec.ts";
import { FlatMapGroupsWithStateExec } from "./operators/flat-map-groups-with-state-exec.ts";
import { HashJoinExec } from "./operators/hash-join-exec.ts";
import { LimitExec } from "./operators/limit-exec.ts";
import { StreamStreamJoinExec } from "./operators/stream-stream-join-exec.ts";
import { StreamingLimitExec } from "./operators/streaming-limit-exec.ts";
import { StaticSideExec } from "./operators/static-side-exec.ts";
import type { OutputMode } from "../connectors/sink.ts";
import { LocalScanExec } from "./operators/local-scan-exec.ts";
import { MapBatchesExec } from "./operators/map-batches-exec.ts";
import { ProjectExec } from "./operators/project-exec.ts";
import { ScanExec } from "./operators/scan-exec.ts";
import { SessionWindowAggregateExec } from "./operators/session-window-aggregate-exec.ts";
import { SortExec } from "./operators/sort-exec.ts";
import { UnionExec } from "./operators/union-exec.ts";
import { WindowExec } from "./operators/window/window-exec.ts";
import { ExpandExec } from "./operators/expand-exec.ts";
import { GenerateExec } from "./operators/generate-exec.ts";
import { mapExpressions } from "../optimizer/plan-expressions.ts";
import { anyNode } from "../expr/expression.ts";
import { isTemporaryFunction } from "../expr/functions/registry.ts";

/** A physical plan and the parts the executor drives directly. */
export interface PhysicalQuery {
  readonly root: ExecOperator;
  /** Streaming scans, by scan index: the executor owns their sources and offsets. */
  readonly streamingScans: readonly Scan[];
  readonly statefulOperators: readonly StatefulOperator[];
  readonly watermarks: readonly EventTimeWatermarkExec[];
  /** Streaming scans an operator reads itself (in worker threads): the executor hands it their ranges instead of rows. */
  readonly deferredScans: ReadonlySet<number>;
  /** Bounded scans read again at every execution: they keep their source (a connection pool) open until closed. */
  readonly rereadScans: readonly ScanExec[];
}

/** Turns an optimized logical plan into incremental operators (Spark's IncrementalExecution planning). */
export function planPhysical(
  plan: LogicalPlan,
  conf: RuntimeConfig,
  outputMode: OutputMode | null = null,
  /** Whether the query keeps late rows (lateRows.path): operators must then see the rows themselves. */
  keepsLateRows = Boolean(conf.get(ConfKeys.lateRowsPath)),
): PhysicalQuery {
  const streamingScans: Scan[] = [];
  const watermarks: EventTimeWatermarkExec[] = [];
  const deferredScans = new Set<number>();
  const rereadScans: ScanExec[] = [];
  let nextOperatorId = 0;
  const statePartitions = Math.max(1, Math.floor(conf.getNumber(ConfKeys.statePartitions)));
  const threads = Math.max(1, Math.floor(Number(conf.get(ConfKeys.parallelism) ?? 1) || 1));

  /**
   * With rivulet.sql.parallelism > 1, a streaming aggregation whose input can run in worker
   * threads gets its map side there; its scan is then read by those threads, not here.
   * Late rows kept in a table need the rows themselves, so they keep the plan on this thread.
   */
  const parallelMapSide = (p: Aggregate, input: ExecOperator, eventTimeKey: EventTimeKey | null, numPartitions: number): WorkerPartialAggregation | string | null => {
    const runner = mapSideRunner(p, input, eventTimeKey, numPartitions);
    // With one thread the runner folds every file here (decoded straight into columns); when it cannot, there is nothing to explain.
    return threads < 2 && typeof runner === "string" ? null : runner;
  };
  const mapSideRunner = (p: Aggregate, input: ExecOperator, eventTimeKey: EventTimeKey | null, numPartitions: number): WorkerPartialAggregation | string => {
    if (keepsLateRows) return "late rows are kept, which needs the rows on this thread";
    if (callsUserFunction(p)) return "a JavaScript user-defined function runs on this thread only";
    const chain = mapSideChain(p);
    if (typeof chain === "string") return chain;
    const scanIndex = streamingScans.indexOf(chain.scan);
    const chainWatermarks: EventTimeWatermarkExec[] = [];
    forEachOperator(input, (op) => { if (op instanceof EventTimeWatermarkExec) chainWatermarks.unshift(op); });
    deferredScans.add(scanIndex);
    return new WorkerPartialAggregation(scanIndex, threads, {
      scanSchema: schemaOf(chain.scan.output), stages: chain.stages,
      groupings: p.groupings, aggregates: p.aggregates, eventTimeKey, numPartitions,
    }, chainWatermarks, {
      ratio: conf.getNumber(ConfKeys.skipPartialAggregationProbeRatio),
      rows: conf.getNumber(ConfKeys.skipPartialAggregationProbeRows),
    });
  };

  const build = (p: LogicalPlan): ExecOperator => {
    const schema = schemaOf(p.output);
    switch (p.kind) {
      case "Scan": {
        const index = p.isStreaming ? streamingScans.push(p) - 1 : -1;
        const scan = new ScanExec(p.source, index, p.isStreaming, p.columns, schema, conf, p.pushedFilters);
        if (scan.rereads) rereadScans.push(scan);
        return scan;
      }
      case "LocalRelation": return new LocalScanExec(p.name, p.data, schema);
      case "Project": return new ProjectExec(build(p.input), p.exprs, schema);
      case "Filter": return new FilterExec(build(p.input), p.condition);
      case "Aggregate": {
        const input = build(p.input);
        const session = p.groupings.find((g) => (g.kind === "Alias" ? g.child : g).kind === "SessionWindow");
        if (session !== undefined) {
          const hasEventTime = eventTimeDelayOf(session, p.input) !== undefined;
          return new SessionWindowAggregateExec(input, p.groupings, p.aggregates, p.results, schema, nextOperatorId++, hasEventTime, p.isStreaming ? statePartitions : 1);
        }
        const eventIndex = p.groupings.findIndex((g) => eventTimeDelayOf(g, p.input) !== undefined);
        const eventTimeKey = eventIndex >= 0 ? { groupIndex: eventIndex } : null;
        const numPartitions = p.isStreaming ? statePartitions : 1;
        const mapSide = parallelMapSide(p, input, eventTimeKey, numPartitions);
        return new AggregateExec(input, p.groupings, p.aggregates, p.results, schema, nextOperatorId++, eventTimeKey, numPartitions,
          typeof mapSide === "string" ? null : mapSide, typeof mapSide === "string" ? `one thread: ${mapSide}` : null);
      }
      case "Deduplicate": {
        const input = build(p.input);
        if (p.withinWatermark) {
          // The input's watermarked column, a key or not (the checker made sure there is one).
          const eventColumn = p.input.output.findIndex((c) => c.eventTimeDelayMicros !== undefined);
          return new DeduplicateExec(input, p.keys, nextOperatorId++, eventColumn, p.input.output[eventColumn]?.eventTimeDelayMicros ?? 0);
        }
        // State is evicted by a watermarked key; late rows are dropped by any watermarked column.
        const eventColumn = p.keys.find((k) => p.input.output[k]!.eventTimeDelayMicros !== undefined) ?? -1;
        const lateColumn = eventColumn >= 0 ? eventColumn : p.input.output.findIndex((c) => c.eventTimeDelayMicros !== undefined);
        return new DeduplicateExec(input, p.keys, nextOperatorId++, eventColumn, null, lateColumn);
      }
      case "EventTimeWatermark": {
        const exec = new EventTimeWatermarkExec(build(p.input), p.column, p.delayMicros);
        watermarks.push(exec);
        return exec;
      }
      case "Join": {
        // A stream-static join runs its static side as a batch query (no state, every group emitted).
        const side = (q: LogicalPlan): ExecOperator => (p.isStreaming && !q.isStreaming ? new StaticSideExec(build(q)) : build(q));
        const left = side(p.left);
        const right = side(p.right);
        const outputColumns = joinOutputColumns(p);
        if (p.left.isStreaming && p.right.isStreaming) return new StreamStreamJoinExec(left, right, p, outputColumns, schema, nextOperatorId++);
        // A static right side is hashed once per run, unless it reads a table that can change between micro-batches.
        const rightIsFixed = !p.right.isStreaming && !someNode(p.right, (n) => n.kind === "Scan" && n.source.changesBetweenReads === true);
        return new HashJoinExec(left, right, p.joinType, p.condition, outputColumns, schema, rightIsFixed);
      }
      case "Sort": return new SortExec(build(p.input), p.orders);
      case "Limit":
        // In append mode a stream's limit counts across batches; in complete mode each batch is the whole result.
        if (p.isStreaming && outputMode === "append") return new StreamingLimitExec(build(p.input), p.limit, nextOperatorId++);
        return new LimitExec(build(p.input), p.limit, p.offset);
      case "Union": return new UnionExec(p.inputs.map(build), schema);
      case "SubqueryAlias": return build(p.input);
      case "MapBatches": return new MapBatchesExec(build(p.input), p.name, p.fn, schema);
      case "FlatMapGroupsWithState": {
        const input = build(p.input);
        const eventColumn = p.input.output.findIndex((c) => c.eventTimeDelayMicros !== undefined);
        const hasWatermark = someNode(p.input, (n) => n.kind === "EventTimeWatermark");
        return new FlatMapGroupsWithStateExec(input, p, schema, nextOperatorId++, eventColumn, hasWatermark);
      }
      case "Window": return new WindowExec(build(p.input), p.windowExprs, p.partitionBy, p.orderBy, schema);
      case "Expand": return new ExpandExec(build(p.input), p.projections, schema);
      case "Generate": return new GenerateExec(build(p.input), p.generator, p.outer, schema);
      default: return assertNever(p, "logical plan");
    }
  };

  const root = build(plan);
  const statefulOperators: StatefulOperator[] = [];
  const walk = (op: ExecOperator): void => {
    if (isStateful(op)) statefulOperators.push(op);
    if (!(op instanceof StaticSideExec)) op.children.forEach(walk);
  };
  walk(root);
  return { root, streamingScans, statefulOperators, watermarks, deferredScans, rereadScans };
}

/** The physical plan as an indented tree, for explain(). */
export function physicalPlanString(op: ExecOperator): string {
  const lines: string[] = [];
  const walk = (o: ExecOperator, prefix: string, childPrefix: string): void => {
    lines.push(prefix + o.describe());
    o.children.forEach((c, i) => {
      const last = i === o.children.length - 1;
      walk(c, `${childPrefix}${last ? "+- " : ":- "}`, `${childPrefix}${last ? "   " : ":  "}`);
    });
  };
  walk(op, "", "");
  return lines.join("\n");
}

/** Whether `p` or a plan below it calls a JavaScript UDF: it cannot travel to a worker thread. */
function callsUserFunction(p: LogicalPlan): boolean {
  return someNode(p, (node) => {
    let found = false;
    mapExpressions(node, (e) => {
      found ||= anyNode(e, (x) => x.kind === "Call" && isTemporaryFunction(x.name));
      return e;
    });
    return found;
  });
}

