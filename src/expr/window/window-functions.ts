import { AnalysisError } from "../../common/errors.ts";
import { BooleanType, DoubleType, IntegerType, NullType, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf, widerType } from "../coercion.ts";
import { Literal, type Expression, type WindowFrame } from "../expression.ts";

/**
 * Window-only functions (Spark's WindowFunction subclasses): ranking functions, the
 * frameless offset functions lag/lead, and nth_value over the frame. Aggregates over a
 * window (sum, first, last…) are AggregateCalls and live in ../aggregates/.
 *
 * `frame` is the frame a function imposes (Spark's `WindowFunction.frame`): ranking
 * functions run over ROWS UNBOUNDED PRECEDING..CURRENT ROW, lag/lead over the one row at
 * their offset; null means the function uses the specification's frame.
 */
export interface WindowFunction {
  readonly name: string;
  /** Ranking and offset functions need an ORDER BY. */
  readonly needsOrder: boolean;
  resolve(args: readonly Expression[]): { args: readonly Expression[]; dataType: DataType };
  frame(args: readonly Expression[]): WindowFrame | null;
}

const RUNNING: WindowFrame = Object.freeze({ frameType: "rows", lower: -Infinity, upper: 0 });

function noArgs(name: string, dataType: DataType): WindowFunction {
  return {
    name, needsOrder: true,
    resolve(args) {
      if (args.length !== 0) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires 0 parameters but the actual number is ${args.length}.`);
      return { args, dataType };
    },
    frame: () => RUNNING,
  };
}

/**
 * rank, dense_rank and percent_rank (Spark's RankLike): arguments are allowed and dropped,
 * since Spark replaces them with the window's ORDER BY keys (`rank(b) OVER (ORDER BY b)`).
 */
function rankLike(name: string, dataType: DataType): WindowFunction {
  return { name, needsOrder: true, resolve: () => ({ args: [], dataType }), frame: () => RUNNING };
}

/** An integer literal argument (offsets, bucket counts), as Spark requires them foldable. */
export function intLiteral(e: Expression | undefined, what: string): number {
  if (e !== undefined && e.kind === "Literal" && typeof e.value === "number" && Number.isInteger(e.value)) return e.value;
  if (e !== undefined && e.kind === "Cast") return intLiteral(e.child, what);
  throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] The ${what} must be an integer literal.`);
}

function booleanLiteral(e: Expression | undefined): boolean {
  if (e === undefined) return false;
  if (e.kind === "Literal" && typeof e.value === "boolean") return e.value;
  throw new AnalysisError("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] ignoreNulls must be a boolean literal.");
}

/** lag(input[, offset[, default[, ignoreNulls]]]) and lead(…): always four arguments once resolved. */
function offsetFunction(name: "lag" | "lead"): WindowFunction {
  return {
    name, needsOrder: true,
    resolve(args) {
      if (args.length < 1 || args.length > 4) {
        throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires [1, 2, 3] parameters but the actual number is ${args.length}.`);
      }
      const input = args[0]!;
      const offset = args[1] ?? Literal.create(1, IntegerType);
      intLiteral(offset, `offset of ${name}`);
      const t = typeOf(input);
      const given = args[2] ?? Literal.create(null, NullType);
      const dt = widerType(t, typeOf(given));
      if (dt === null) throw new AnalysisError(`[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "${name}" due to data type mismatch: the default value of type ${typeName(typeOf(given))} does not match the input of type ${typeName(t)}.`);
      const ignore = args[3] ?? Literal.create(false, BooleanType);
      booleanLiteral(ignore);
      // A NULL default stays NULL (no cast), so that the call prints as Spark's `lag(b, 1, NULL)`.
      const fallback = given.kind === "Literal" && given.value === null ? Literal.create(null, dt) : castIfNeeded(given, dt);
      return { args: [castIfNeeded(input, dt), offset, fallback, ignore], dataType: dt };
    },
    frame(args) {
      const k = intLiteral(args[1], `offset of ${name}`);
      const o = name === "lag" ? -k : k;
      return { frameType: "rows", lower: o, upper: o };
    },
  };
}

const FUNCTIONS: readonly WindowFunction[] = [
  noArgs("row_number", IntegerType),
  rankLike("rank", IntegerType),
  rankLike("dense_rank", IntegerType),
  rankLike("percent_rank", DoubleType),
  noArgs("cume_dist", DoubleType),
  {
    name: "ntile", needsOrder: true,
    resolve(args) {
      if (args.length !== 1) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`ntile\` requires 1 parameters but the actual number is ${args.length}.`);
      const n = intLiteral(args[0], "number of buckets of ntile");
      if (n <= 0) throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "ntile(${n})" due to data type mismatch: The buckets must be > 0, but got ${n}.`);
      return { args, dataType: IntegerType };
    },
    frame: () => RUNNING,
  },
  offsetFunction("lag"),
  offsetFunction("lead"),
  {
    name: "nth_value", needsOrder: true,
    resolve(args) {
      if (args.length < 2 || args.length > 3) throw new AnalysisError(`[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`nth_value\` requires [2, 3] parameters but the actual number is ${args.length}.`);
      const n = intLiteral(args[1], "offset of nth_value");
      if (n <= 0) throw new AnalysisError(`[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] Cannot resolve "nth_value" due to data type mismatch: The offset must be > 0, but got ${n}.`);
      const ignore = args[2] ?? Literal.create(false, BooleanType);
      booleanLiteral(ignore);
      return { args: [args[0]!, args[1]!, ignore], dataType: typeOf(args[0]!) };
    },
    frame: () => null,
  },
];

const byName = new Map(FUNCTIONS.map((f) => [f.name, f]));

export function lookupWindowFunction(name: string): WindowFunction | undefined {
  return byName.get(name.toLowerCase());
}

export function windowFunctionNames(): string[] {
  return [...byName.keys()];
}

/** Whether the flag argument (lag/lead's 4th, nth_value's 3rd) asks to skip nulls. */
export function ignoresNulls(args: readonly Expression[], index: number): boolean {
  return booleanLiteral(args[index]);
}
