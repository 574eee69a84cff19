import { ColumnBatch } from "../../columnar/column-batch.ts";
import { concatBatches } from "../../columnar/concat.ts";
import { keyString } from "../../columnar/key-string.ts";
import { VecBuilder } from "../../columnar/vec-builder.ts";
import { takeVec, valueAt, type Vec } from "../../columnar/vector.ts";
import { compileExpression, type Evaluator } from "../../expr/compile.ts";
import { displayExpression } from "../../expr/display.ts";
import { referencedColumns, type Expression } from "../../expr/expression.ts";
import type { JoinType } from "../../plan/logical-plan.ts";
import { StructType } from "../../types/data-types.ts";
import type { BatchContext, ExecOperator } from "../exec-operator.ts";
import { selection } from "./filter-exec.ts";
import { shiftColumns } from "../../plan/rewrite-columns.ts";

/**
 * Splits a join condition into equi-join key pairs (left expr, right expr) and a residual.
 * `<=>` pairs are keys too, on which null matches null (`nullSafe`): INTERSECT and EXCEPT
 * join on them.
 */
export function splitJoinCondition(condition: Expression | null, leftWidth: number): { leftKeys: Expression[]; rightKeys: Expression[]; nullSafe: boolean[]; residual: Expression | null } {
  const leftKeys: Expression[] = [];
  const rightKeys: Expression[] = [];
  const nullSafe: boolean[] = [];
  const residual: Expression[] = [];
  const conjuncts = (e: Expression): Expression[] => (e.kind === "Call" && e.name === "and" ? e.args.flatMap(conjuncts) : [e]);
  const side = (e: Expression): "left" | "right" | "both" | "none" => {
    const refs = [...referencedColumns(e)];
    if (refs.length === 0) return "none";
    if (refs.every((r) => r < leftWidth)) return "left";
    if (refs.every((r) => r >= leftWidth)) return "right";
    return "both";
  };
  for (const c of condition ? conjuncts(condition) : []) {
    if (c.kind === "Call" && (c.name === "equalto" || c.name === "eqnullsafe")) {
      const [a, b] = c.args as [Expression, Expression];
      const sa = side(a), sb = side(b);
      if (sa === "left" && sb === "right") { leftKeys.push(a); rightKeys.push(shiftColumns(b, -leftWidth)); nullSafe.push(c.name === "eqnullsafe"); continue; }
      if (sa === "right" && sb === "left") { leftKeys.push(b); rightKeys.push(shiftColumns(a, -leftWidth)); nullSafe.push(c.name === "eqnullsafe"); continue; }
    }
    residual.push(c);
  }
  const joined = residual.reduce<Expression | null>((acc, e) => (acc === null ? e : { kind: "Call", name: "and", args: [acc, e], dataType: e.dataType }), null);
  return { leftKeys, rightKeys, nullSafe, residual: joined };
}

function takeOrNull(v: Vec, indices: Int32Array, count: number): Vec {
  let hasMissing = false;
  for (let i = 0; i < count; i++) if (indices[i]! < 0) { hasMissing = true; break; }
  if (!hasMissing) return takeVec(v, indices, count);
  const b = new VecBuilder(v.type, count);
  for (let i = 0; i < count; i++) b.append(indices[i]! < 0 ? null : valueAt(v, indices[i]!));
  return b.finish();
}

/**
 * Hash join: builds a hash table on the right input, probes with each left batch. Used for
 * batch joins and stream–static joins (a static right side is built once per run, unless
 * it reads a source that can change between micro-batches).
 */
export class HashJoinExec implements ExecOperator {
  readonly name = "HashJoin";
  readonly children: readonly ExecOperator[];
  readonly #leftKeys: Evaluator[];
  readonly #rightKeys: Evaluator[];
  readonly #residual: Evaluator | null;
  readonly #combined: StructType;
  readonly #split: ReturnType<typeof splitJoinCondition>;
  #built: { table: Map<string, number[]>; right: ColumnBatch } | null = null;

  constructor(
    readonly left: ExecOperator,
    readonly right: ExecOperator,
    readonly joinType: JoinType,
    readonly condition: Expression | null,
    /** Indices into left ++ right columns that form the output. */
    readonly outputColumns: readonly number[],
    readonly schema: StructType,
    /** The right side gives the same rows at every execution (static, nothing re-read): its hash table is built once. */
    readonly rightIsFixed: boolean,
  ) {
    this.children = [left, right];
    this.#split = splitJoinCondition(condition, left.schema.fields.length);
    this.#leftKeys = this.#split.leftKeys.map(compileExpression);
    this.#rightKeys = this.#split.rightKeys.map(compileExpression);
    this.#residual = this.#split.residual ? compileExpression(this.#split.residual) : null;
    this.#combined = new StructType([...left.schema.fields, ...right.schema.fields]);
  }

  describe(): string {
    const keys = this.#split.leftKeys.map((k, i) => `${displayExpression(k)} ${this.#split.nullSafe[i] ? "<=>" : "="} ${displayExpression(this.#split.rightKeys[i]!)}`).join(", ");
    return `HashJoin ${this.joinType} [${keys}]${this.#split.residual ? ` residual ${displayExpression(this.#split.residual)}` : ""}`;
  }

  static keyOf(vecs: readonly Vec[], i: number, nullSafe?: readonly boolean[]): string | null {
    const parts: unknown[] = [];
    for (let k = 0; k < vecs.length; k++) {
      const x = valueAt(vecs[k]!, i);
      if (x === null && nullSafe?.[k] !== true) return null; // null keys never match, but under <=>
      parts.push(x);
    }
    return keyString(parts);
  }

  async #build(ctx: BatchContext): Promise<{ table: Map<string, number[]>; right: ColumnBatch }> {
    if (this.#built && this.rightIsFixed) return this.#built;
    const right = concatBatches(this.right.schema, await this.right.execute(ctx));
    const keys = this.#rightKeys.map((k) => k(right, ctx.eval));
    const table = new Map<string, number[]>();
    for (let i = 0; i < right.numRows; i++) {
      const key = this.#rightKeys.length === 0 ? "" : HashJoinExec.keyOf(keys, i, this.#split.nullSafe);
      if (key === null) continue;
      const list = table.get(key);
      if (list) list.push(i); else table.set(key, [i]);
    }
    this.#built = { table, right };
    return this.#built;
  }

  async execute(ctx: BatchContext): Promise<ColumnBatch[]> {
    const [{ table, right }, leftBatches] = await Promise.all([this.#build(ctx), this.left.execute(ctx)]);
    const out: ColumnBatch[] = [];
    const rightMatched = new Uint8Array(right.numRows);
    const keepLeftUnmatched = this.joinType === "left_outer" || this.joinType === "full_outer";
    for (const lb of leftBatches) {
      if (lb.numRows === 0) continue;
      const keys = this.#leftKeys.map((k) => k(lb, ctx.eval));
      let li: number[] = [];
      let ri: number[] = [];
      for (let i = 0; i < lb.numRows; i++) {
        const key = this.#leftKeys.length === 0 ? "" : HashJoinExec.keyOf(keys, i, this.#split.nullSafe);
        const matches = key === null ? undefined : table.get(key);
        if (matches) for (const r of matches) { li.push(i); ri.push(r); }
      }
      // Apply the residual condition to candidate pairs.
      if (this.#residual !== null && li.length > 0) {
        const pairs = this.#pairBatch(lb, right, Int32Array.from(li), Int32Array.from(ri));
        const { indices, count } = selection(this.#residual(pairs, ctx.eval));
        li = Array.from(indices.subarray(0, count), (j) => li[j]!);
        ri = Array.from(indices.subarray(0, count), (j) => ri[j]!);
      }
      const leftMatched = new Uint8Array(lb.numRows);
      for (const i of li) leftMatched[i] = 1;
      for (const r of ri) rightMatched[r] = 1;
      if (this.joinType === "left_semi" || this.joinType === "left_anti") {
        const want = this.joinType === "left_semi" ? 1 : 0;
        const rows = Int32Array.from({ length: lb.numRows }, (_, i) => i).filter((i) => leftMatched[i] === want);
        if (rows.length > 0) out.push(lb.take(rows).withSchema(this.schema));
        continue;
      }
      if (keepLeftUnmatched) {
        for (let i = 0; i < lb.numRows; i++) if (leftMatched[i] === 0) { li.push(i); ri.push(-1); }
      }
      if (li.length > 0) out.push(this.#project(this.#pairBatch(lb, right, Int32Array.from(li), Int32Array.from(ri))));
    }
    if ((this.joinType === "right_outer" || this.joinType === "full_outer") && right.numRows > 0) {
      const ri: number[] = [];
      for (let r = 0; r < right.numRows; r++) if (rightMatched[r] === 0) ri.push(r);
      if (ri.length > 0) {
        const leftEmpty = ColumnBatch.empty(this.left.schema);
        out.push(this.#project(this.#pairBatch(leftEmpty, right, new Int32Array(ri.length).fill(-1), Int32Array.from(ri))));
      }
    }
    return out;
  }

  #pairBatch(left: ColumnBatch, right: ColumnBatch, li: Int32Array, ri: Int32Array): ColumnBatch {
    const n = li.length;
    const columns = [
      ...left.columns.map((v) => takeOrNull(v, li, n)),
      ...right.columns.map((v) => takeOrNull(v, ri, n)),
    ];
    return new ColumnBatch(this.#combined, columns, n);
  }

  #project(pairs: ColumnBatch): ColumnBatch {
    return new ColumnBatch(this.schema, this.outputColumns.map((c) => pairs.columns[c]!), pairs.numRows);
  }
}
