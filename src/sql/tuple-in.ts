import { AnalysisError } from "../common/errors.ts";
import { Call, type Expression } from "../expr/expression.ts";

/** `(a, b)`: a row constructor (a struct call of two or more values). */
export function isRow(e: Expression): e is Call & { readonly name: "struct" } {
  return e.kind === "Call" && e.name === "struct" && e.args.length > 1;
}

/**
 * `(a, b) IN ((1, 'x'), (2, 'y'))` as `(a <=> 1 AND b <=> 'x') OR (a <=> 2 AND b <=> 'y')`: Spark
 * compares the rows as structs (In with a struct ordering, where a NULL field equals a NULL
 * field), so the answer is never NULL; each item must be a row of as many values.
 */
export function tupleIn(values: readonly Expression[], list: readonly Expression[]): Expression {
  return list.map((item) => {
    const fields = isRow(item) ? item.args : [item];
    if (fields.length !== values.length) {
      throw new AnalysisError(
        `[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Cannot resolve "IN" due to data type mismatch: the left hand side of IN has ${values.length} values, an item of its list has ${fields.length}.`,
      );
    }
    return values.map((v, i) => Call.create("eqnullsafe", [v, fields[i]!])).reduce((a, b) => Call.create("and", [a, b]));
  }).reduce((a, b) => Call.create("or", [a, b]));
}
