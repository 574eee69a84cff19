import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { DoubleType, IntegerType, LongType, NullType, StringType, isIntegral } from "../../types/data-types.ts";
import { valueAt } from "../../columnar/vector.ts";
import { typeOf } from "../coercion.ts";
import { displayExpression } from "../display.ts";
import { Literal } from "../expression.ts";
import { constantVec, numVec } from "../vec-ops.ts";
import { checkArity, coerceArg, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { XORShiftRandom } from "./xorshift-random.ts";

/**
 * rand/random, randn, monotonically_increasing_id, spark_partition_id, raise_error and
 * assert_true. rivulet evaluates a query's rows as one partition (index 0): rand(seed)
 * restarts Spark's XORShiftRandom(seed + 0) sequence at each evaluated batch (as Spark
 * does per task), monotonically_increasing_id counts up from 0 across the query's batches
 * in one process, spark_partition_id() is 0.
 */

function randomFunction(name: string, gaussian: boolean): ScalarFunction {
  return {
    name,
    deterministic: false,
    nullIntolerant: false,
    resolve(args) {
      checkArity(name, args, 0, 1);
      if (args[0] !== undefined) {
        const t = typeOf(args[0]);
        if ((!isIntegral(t) && t.kind !== "null") || (args[0].kind !== "Literal" && args[0].kind !== "Cast")) {
          throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${name}(${displayExpression(args[0])})" due to data type mismatch: the input \`seed\` should be a foldable "INT" or "BIGINT" expression.`);
        }
      }
      return { args, dataType: DoubleType };
    },
    evaluate: () => { throw new ExecutionError(`${name} is compiled, not evaluated`); },
    compile(call, compile) {
      const seedOf = call.args[0] === undefined ? null : compile(call.args[0]);
      // Without a seed, one random seed per compiled query (Spark draws it at analysis).
      const fixed = BigInt.asIntN(64, BigInt(Math.floor(Math.random() * 2 ** 53)) * 1024n + BigInt(Math.floor(Math.random() * 1024)));
      return (batch, ctx) => {
        const seed = seedOf === null ? fixed : BigInt((valueAt(seedOf(batch, ctx), 0) as number | bigint | null) ?? 0);
        const random = new XORShiftRandom(seed);
        const out = new Float64Array(batch.numRows);
        for (let i = 0; i < out.length; i++) out[i] = gaussian ? random.nextGaussian() : random.nextDouble();
        return numVec(DoubleType, out, null);
      };
    },
  };
}

const monotonicallyIncreasingId: ScalarFunction = {
  name: "monotonically_increasing_id",
  deterministic: false,
  resolve(args) {
    checkArity("monotonically_increasing_id", args, 0);
    return { args, dataType: LongType };
  },
  evaluate: () => { throw new ExecutionError("monotonically_increasing_id is compiled, not evaluated"); },
  compile() {
    let next = 0;
    return (batch) => {
      const out = new Float64Array(batch.numRows);
      for (let i = 0; i < out.length; i++) out[i] = next++;
      return numVec(LongType, out, null);
    };
  },
};

const sparkPartitionId: ScalarFunction = {
  name: "spark_partition_id",
  deterministic: false,
  display: () => "SPARK_PARTITION_ID()",
  resolve(args) {
    checkArity("spark_partition_id", args, 0);
    return { args, dataType: IntegerType };
  },
  evaluate: (_v, n) => constantVec(0, IntegerType, n),
};

const defaultAssertMessage = (condition: string): string => `'${condition}' is not true!`;
const userRaised = (message: string): ExecutionError => new ExecutionError(`[USER_RAISED_EXCEPTION] ${message}`);

/** raise_error(message): fails the query with the message (Spark's USER_RAISED_EXCEPTION); typed NULL. */
const raiseError: ScalarFunction = {
  name: "raise_error",
  deterministic: false,
  nullIntolerant: false,
  resolve(args) {
    checkArity("raise_error", args, 1);
    return { args: [coerceArg("raise_error", args, 0, StringType)], dataType: NullType };
  },
  evaluate([m], n) {
    if (n > 0) throw userRaised(String(valueAt(m!, 0) ?? "null"));
    return constantVec(null, NullType, 0);
  },
};

/** assert_true(cond[, message]): NULL when cond is true, else fails with the message (default "'cond' is not true!"). */
const assertTrue: ScalarFunction = {
  name: "assert_true",
  deterministic: false,
  nullIntolerant: false,
  resolve(args) {
    checkArity("assert_true", args, 1, 2);
    const t = typeOf(args[0]!);
    if (t.kind !== "boolean" && t.kind !== "null") throw typeMismatch("assert_true", args, 0, "boolean");
    // The default message names the condition as written (before the optimizer folds it).
    const message = args[1] ? coerceArg("assert_true", args, 1, StringType) : Literal.create(defaultAssertMessage(displayExpression(args[0]!)), StringType);
    return { args: [args[0]!, message], dataType: NullType };
  },
  display: ([c, m]) => (m === defaultAssertMessage(c!) ? `assert_true(${c})` : `assert_true(${c}, ${m})`),
  evaluate([c, m], n) {
    for (let i = 0; i < n; i++) {
      if (valueAt(c!, i) !== true) throw userRaised(String(valueAt(m!, i)));
    }
    return constantVec(null, NullType, n);
  },
};

export const nondeterministicFunctions: ScalarFunction[] = [
  randomFunction("rand", false), randomFunction("random", false), randomFunction("randn", true),
  monotonicallyIncreasingId, sparkPartitionId, raiseError, assertTrue,
];

