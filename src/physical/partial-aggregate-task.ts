import type { ColumnBatch } from "../columnar/column-batch.ts";
import { decodeJsonFileInBlocks, decodeJsonFilesInBlocks, JsonDecoders, type JsonFileTask } from "../connectors/sources/json-file-task.ts";
import type { OutputMode } from "../connectors/sink.ts";
import type { EvalContext } from "../expr/eval-context.ts";
import type { AggregateCall, Expression } from "../expr/expression.ts";
import { fromTransferable } from "../expr/transferable.ts";
import { StructType } from "../types/data-types.ts";
import type { BatchContext, ExecOperator } from "./exec-operator.ts";
import type { PartialAggregation } from "./aggregate/partial-groups.ts";
import { AggregateExec, type EventTimeKey } from "./aggregate/aggregate-exec.ts";
import { EventTimeWatermarkExec, emptyStats, mergeStats, type EventTimeStats } from "./operators/event-time-watermark-exec.ts";
import { FilterExec } from "./operators/filter-exec.ts";
import { ProjectExec } from "./operators/project-exec.ts";
import { KeyStringsSender, type SentKeyStrings } from "./partial-key-strings.ts";
import { RowStringsSender, type SentBatch, type SentRowStrings } from "./parallel/shipped-rows.ts";

/** One operator between the scan and the aggregation, as plain data. */
export type MapStage =
  | { readonly kind: "Filter"; readonly condition: Expression }
  | { readonly kind: "Project"; readonly exprs: readonly Expression[]; readonly schema: StructType }
  | { readonly kind: "EventTimeWatermark"; readonly column: number; readonly delayMicros: number };

/** The map side of an aggregation: what runs on each file, the same for every file of a query. */
export interface MapSidePlan {
  readonly scanSchema: StructType;
  readonly stages: readonly MapStage[];
  readonly groupings: readonly Expression[];
  readonly aggregates: readonly AggregateCall[];
  readonly eventTimeKey: EventTimeKey | null;
  readonly numPartitions: number;
}

export interface PartialAggregateTask {
  /** The MapSidePlan through toTransferable, and a key naming it (workers compile each plan once). */
  readonly plan: unknown;
  readonly planKey: string;
  readonly file: JsonFileTask;
  readonly watermarkMicros: number;
  readonly outputMode: OutputMode;
  readonly eval: EvalContext;
}

/** What reading one file on the map side reports, however its rows were folded. */
export interface FileReadStats {
  readonly rowsRead: number;
  readonly malformed: number;
  /** Per EventTimeWatermark stage, bottom up: the event times this file showed it. */
  readonly eventTimes: EventTimeStats[];
}

export interface PartialAggregateResult extends PartialAggregation, FileReadStats {
  /** How the string columns of `groups.keys` name their strings (partial-key-strings.ts): apply with receiveKeyStrings. */
  readonly keyStrings?: SentKeyStrings;
  /** The batch's values the task read (set by worker tasks): its result depends on them besides its file and plan. */
  readonly batchValuesRead?: BatchValuesRead;
}

/**
 * The values of a batch that a map-side task read, as it read them: its partial groups
 * depend on its file, its plan and these only (the batch id, the late-rows sink and the
 * source data a task sees are the same for every batch). The watermark is read when late
 * rows are dropped on the map side (not in complete mode); the batch's time by
 * current_timestamp() and the like.
 */
export interface BatchValuesRead {
  watermarkMicros?: number;
  batchTimestampMicros?: number;
}

/** A worker task's batch context, noting in `read` which of the batch's values its operators read. */
function readNoting(task: PartialAggregateTask, read: BatchValuesRead): BatchContext {
  const { eval: batchEval, watermarkMicros } = task;
  return {
    batchId: 0, sourceData: new Map(), outputMode: task.outputMode, streaming: true, lateRows: null,
    eval: {
      ...batchEval,
      get batchTimestampMicros() {
        read.batchTimestampMicros = batchEval.batchTimestampMicros;
        return batchEval.batchTimestampMicros;
      },
    },
    get watermarkMicros() {
      read.watermarkMicros = watermarkMicros;
      return watermarkMicros;
    },
  };
}

/** The file's decoded batches, placed under the stages for one task. */
class TaskInputExec implements ExecOperator {
  readonly name = "TaskInput";
  readonly children: readonly ExecOperator[] = [];
  batches: ColumnBatch[] = [];

  constructor(readonly schema: StructType) {}

  describe(): string {
    return "TaskInput";
  }

  async execute(): Promise<ColumnBatch[]> {
    return this.batches.map((b) => b.withSchema(this.schema));
  }
}

export interface CompiledPlan {
  readonly input: TaskInputExec;
  readonly watermarks: EventTimeWatermarkExec[];
  readonly aggregate: AggregateExec;
  /** The JSON decoders of this plan's files, kept from one file (and batch) to the next. */
  readonly decoders: JsonDecoders;
}

/** Compiled plans of this worker thread: tasks of one query reuse the operators and their kernels. */
const compiled = new Map<string, CompiledPlan>();
/** This worker thread's key dictionaries, by plan. */
const keyStrings = new Map<string, KeyStringsSender>();
/** This worker thread's string lists of shipped rows, by plan. */
const rowStrings = new Map<string, RowStringsSender>();

/** One file's rows after the stages, unaggregated, as they travel (parallel/shipped-rows.ts). */
export interface ShippedFileRows extends FileReadStats {
  readonly batches: readonly SentBatch[];
  readonly strings: SentRowStrings;
}

export function compile(plan: MapSidePlan): CompiledPlan {
  const input = new TaskInputExec(plan.scanSchema);
  const watermarks: EventTimeWatermarkExec[] = [];
  let op: ExecOperator = input;
  for (const stage of plan.stages) {
    switch (stage.kind) {
      case "Filter": op = new FilterExec(op, stage.condition); break;
      case "Project": op = new ProjectExec(op, stage.exprs, stage.schema); break;
      case "EventTimeWatermark": {
        const w = new EventTimeWatermarkExec(op, stage.column, stage.delayMicros);
        watermarks.push(w);
        op = w;
      }
    }
  }
  const aggregate = new AggregateExec(op, plan.groupings, plan.aggregates, [], new StructType([]), 0, plan.eventTimeKey, plan.numPartitions);
  return { input, watermarks, aggregate, decoders: new JsonDecoders() };
}

/**
 * Rows per batch on the map side. Batches are folded once each 8 MiB read chunk is decoded
 * (~80k lines of 100 bytes), so a file is held decoded a chunk at a time, not whole; smaller
 * batches measured no better on many-group jobs (more group lookups per row).
 */
const BLOCK_ROWS = 1 << 16;

/**
 * Runs in a worker thread: decodes one file a block at a time, runs the stages over each
 * block and folds its rows into partial groups (partitioned as the aggregation's state)
 * while the next block is read. Only the partial groups travel back: a few per distinct
 * key, whatever the file's size.
 */
export async function partialAggregate(task: PartialAggregateTask): Promise<{ value: PartialAggregateResult }> {
  const batchValuesRead: BatchValuesRead = {};
  const partial = await partialAggregateFile(compiledPlan(task.plan, task.planKey), task.file, readNoting(task, batchValuesRead));
  return { value: { ...withKeyStrings(task.planKey, partial), batchValuesRead } };
}

/**
 * Runs in a worker thread: decodes one file and runs the stages over it, as this thread
 * would (stageRowsOfFiles), and sends the rows back for this thread to fold — for the
 * batches whose partial aggregation does not reduce, where partial groups would only be
 * grouped again. The rows do not depend on who decodes them: this thread folds them as it
 * would fold its own reading of the file.
 */
export async function stageRows(task: PartialAggregateTask): Promise<{ value: ShippedFileRows }> {
  let sender = rowStrings.get(task.planKey);
  if (sender === undefined) rowStrings.set(task.planKey, (sender = new RowStringsSender(task.planKey)));
  const batches: SentBatch[] = [];
  sender.begin();
  try {
    const stats = await stageRowsOfFiles(compiledPlan(task.plan, task.planKey), [task.file], readNoting(task, {}), (staged) => {
      for (const b of staged) if (b.numRows > 0) batches.push(sender.encode(b));
    });
    return { value: { ...stats, batches, strings: sender.end() } };
  } catch (e) {
    // The strings this file added were never sent: the next file starts new lists, under a new sender.
    rowStrings.delete(task.planKey);
    throw e;
  }
}

/** This worker's compiled plan of `planKey` (compiled at its first task). */
function compiledPlan(transferable: unknown, planKey: string): CompiledPlan {
  let plan = compiled.get(planKey);
  if (plan === undefined) {
    plan = compile(fromTransferable<MapSidePlan>(transferable));
    compiled.set(planKey, plan);
  }
  return plan;
}

/** A file's partial groups as they travel: string keys as codes into this worker's dictionaries (partial-key-strings.ts). */
function withKeyStrings(planKey: string, partial: PartialAggregateResult): PartialAggregateResult {
  let sender = keyStrings.get(planKey);
  if (sender === undefined) keyStrings.set(planKey, (sender = new KeyStringsSender(planKey)));
  const sent = sender.encode(partial.groups.keys, partial.groups.count);
  return { ...partial, groups: { ...partial.groups, keys: KeyStringsSender.withoutStrings(partial.groups.keys, sent) }, keyStrings: sent };
}

/** Decodes one file a block at a time and folds its rows into partial groups, on the calling thread. */
export async function partialAggregateFile(plan: CompiledPlan, file: JsonFileTask, ctx: BatchContext): Promise<PartialAggregateResult> {
  const { input, aggregate, watermarks, decoders } = plan;
  // Each run of the stages reports its own event times: the file's are their sum.
  const eventTimes = watermarks.map(emptyStats);
  let rowsRead = 0;
  aggregate.beginPartial();
  try {
    const malformed = await decodeJsonFileInBlocks(file, BLOCK_ROWS, async (batches) => {
      input.batches = batches;
      for (const b of batches) rowsRead += b.numRows;
      await aggregate.consumePartial(ctx);
      watermarks.forEach((w, k) => mergeStats(eventTimes[k]!, w.stats));
    }, decoders);
    return { ...aggregate.endPartial(), rowsRead, malformed, eventTimes };
  } finally {
    input.batches = [];
  }
}

/**
 * The same map side on the calling thread, without partial aggregation: decodes files one
 * after another, a block at a time with one decoder, and hands the stages' rows of each
 * block to `onRows` (the aggregation folds them at once). For the plans whose partial
 * aggregation does not reduce, where a worker thread would only group the rows twice.
 */
export async function stageRowsOfFiles(
  plan: CompiledPlan, files: readonly JsonFileTask[], ctx: BatchContext, onRows: (batches: ColumnBatch[]) => void,
): Promise<FileReadStats> {
  const { input, aggregate, watermarks, decoders } = plan;
  const eventTimes = watermarks.map(emptyStats);
  let rowsRead = 0;
  try {
    // Batches of the size the source reads on this thread (batch-assembler.ts), not BLOCK_ROWS:
    // with many groups, bigger batches group more rows before the table lookups.
    const malformed = await decodeJsonFilesInBlocks(files, undefined, async (batches) => {
      input.batches = batches;
      for (const b of batches) rowsRead += b.numRows;
      onRows(await aggregate.input.execute(ctx));
      watermarks.forEach((w, k) => mergeStats(eventTimes[k]!, w.stats));
    }, decoders);
    return { rowsRead, malformed, eventTimes };
  } finally {
    input.batches = [];
  }
}
