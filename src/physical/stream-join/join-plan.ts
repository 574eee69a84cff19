import type { ColumnBatch } from "../../columnar/column-batch.ts";
import type { Evaluator } from "../../expr/compile.ts";
import type { StructType } from "../../types/data-types.ts";
import type { BufferedSide, JoinKeyIds } from "./buffered-side.ts";
import type { JoinSide, SideSpec, StreamJoinSpec } from "./join-spec.ts";
import type { PairFilter } from "./pair-filter.ts";

/** A side's spec with its compiled key and one-side filter expressions. */
export interface JoinSideRuntime {
  readonly spec: SideSpec;
  readonly schema: StructType;
  readonly keys: readonly Evaluator[];
  readonly preJoinFilter: Evaluator | null;
}

/** What the per-batch steps need of the join operator: its compiled sides and condition, and its output. */
export interface JoinPlan {
  readonly spec: StreamJoinSpec;
  readonly sides: Record<JoinSide, JoinSideRuntime>;
  readonly pairFilter: PairFilter | null;
  readonly schema: StructType;
  /** Indices into left ++ right columns that form the output. */
  readonly outputColumns: readonly number[];
  /** A left semi join: a left row is emitted once, on its first match, and the right side emits nothing. */
  readonly semi: boolean;
}

/** Counts of one batch, for progress. */
export interface JoinBatchCounts { updated: number; removed: number; dropped: number }

/** Where one batch's steps read and buffer rows, and where they put the joined rows. */
export interface JoinBatchState {
  readonly keys: JoinKeyIds;
  readonly sides: Record<JoinSide, BufferedSide>;
  readonly out: ColumnBatch[];
  readonly counts: JoinBatchCounts;
}
