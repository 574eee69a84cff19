import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { valueAt } from "../../columnar/vector.ts";
import { DecimalType, StringType, typeName, type DataType } from "../../types/data-types.ts";
import { castIfNeeded, typeOf } from "../coercion.ts";
import { decimalForType } from "../decimal-precision.ts";
import { displayExpression } from "../display.ts";
import { Call, Literal, type Expression } from "../expression.ts";
import { checkArity, coerceArg, isConstant, stringKernel, typeMismatch } from "./function-args.ts";
import { InvalidNumberFormat, NumberFormat } from "./number-format.ts";
import { requireFunction } from "./registry.ts";
import type { ScalarFunction } from "./scalar-function.ts";
import { mapRows } from "../vec-ops.ts";

/**
 * to_number / try_to_number (a string to a DECIMAL by a number format) and to_char /
 * to_varchar (a number to a string by one; a date or timestamp by a datetime pattern, a
 * binary by 'base64', 'hex' or 'utf-8', as Spark 3.5's builder dispatches).
 */

/** The format argument: a constant string, checked when the query is analysed (Spark's InvalidFormat). */
function formatOf(fn: string, args: readonly Expression[]): NumberFormat | null {
  const f = args[1]!;
  if (!isConstant(f)) {
    throw new AnalysisError(
      `[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${fn}(${args.map(displayExpression).join(", ")})" due to data type mismatch: ` +
      `the input \`format\` should be a foldable "STRING" expression; however, got "${displayExpression(f)}".`,
    );
  }
  const text = constantString(f);
  if (text === null) return null;
  try {
    return new NumberFormat(text);
  } catch (e) {
    if (e instanceof InvalidNumberFormat) throw new AnalysisError(e.message);
    throw e;
  }
}

function constantString(e: Expression): string | null {
  if (e.kind === "Literal") return e.value === null ? null : String(e.value);
  if (e.kind === "Cast") return constantString(e.child);
  return null;
}

function mismatchInput(inputType: DataType, input: string, format: string): ExecutionError {
  return new ExecutionError(
    `[INVALID_FORMAT.MISMATCH_INPUT] The format is invalid: '${format}'. The input "${typeName(inputType).toUpperCase()}" ${input} does not match the format.`,
  );
}

function toNumber(name: string, errorOnFail: boolean): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const format = formatOf(name, args);
      const dataType = format === null ? DecimalType(38, 18) : DecimalType(format.precision, format.scale);
      return { args: [coerceArg(name, args, 0, StringType), coerceArg(name, args, 1, StringType)], dataType };
    },
    evaluate(vecs, n, _ctx, call) {
      const text = valueAt(vecs[1]!, 0);
      if (n === 0 || text === null) return mapRows([], n, call.dataType!, () => null);
      const format = new NumberFormat(text as string);
      return stringKernel(vecs, n, call, (s) => {
        const unscaled = format.parse(s);
        if (unscaled === null && errorOnFail) throw mismatchInput(StringType, s, format.pattern);
        return unscaled;
      });
    },
  };
}

/** to_char of a number: the number as a decimal (Spark's implicit cast), formatted. */
function numberToChar(name: string, args: readonly Expression[]): Expression[] {
  const t = typeOf(args[0]!);
  const decimal = t.kind === "decimal" ? t : t.kind === "string" ? DecimalType(38, 18) : t.kind === "float" ? DecimalType(14, 7) : t.kind === "double" ? DecimalType(30, 15) : decimalForType(t);
  if (decimal === null) throw typeMismatch(name, args, 0, "decimal");
  formatOf(name, args);
  return [castIfNeeded(args[0]!, decimal), coerceArg(name, args, 1, StringType)];
}

/** The function to_char runs for a binary: the format names the encoding. */
function binaryToChar(name: string, args: readonly Expression[]): Call {
  const f = args[1]!;
  const text = isConstant(f) ? constantString(f)?.toLowerCase() : undefined;
  switch (text) {
    case "base64": return Call.create("base64", [args[0]!]);
    case "hex": return Call.create("hex", [args[0]!]);
    case "utf-8": case "utf8": return Call.create("decode", [args[0]!, Literal.create("UTF-8", StringType)]);
    default:
      throw new AnalysisError(
        `[INVALID_PARAMETER_VALUE.BINARY_FORMAT] The value of parameter(s) \`format\` in \`${name}\` is invalid: ` +
        `expects one of binary formats 'base64', 'hex', 'utf-8', but got '${text ?? displayExpression(f)}'.`,
      );
  }
}

/** The call a date, timestamp or binary to_char runs (Spark's ToCharacterBuilder), resolved. */
function delegateOf(name: string, args: readonly Expression[]): Call | null {
  const t = typeOf(args[0]!);
  const call = t.kind === "date" || t.kind === "timestamp" || t.kind === "timestamp_ntz" ? Call.create("date_format", [args[0]!, args[1]!])
    : t.kind === "binary" ? binaryToChar(name, args) : null;
  if (call === null) return null;
  const resolved = requireFunction(call.name).resolve(call.args);
  return { ...call, args: resolved.args, dataType: resolved.dataType };
}

function toChar(name: string): ScalarFunction {
  return {
    name,
    resolve(args) {
      checkArity(name, args, 2);
      const delegate = delegateOf(name, args);
      if (delegate !== null) return { args: delegate.name === "date_format" ? delegate.args : [args[0]!, args[1]!], dataType: StringType };
      return { args: numberToChar(name, args), dataType: StringType };
    },
    evaluate(vecs, n, ctx, call) {
      const delegate = delegateOf(name, call.args);
      if (delegate !== null) return requireFunction(delegate.name).evaluate(delegate.name === "date_format" ? vecs : vecs.slice(0, delegate.args.length), n, ctx, delegate);
      const text = valueAt(vecs[1]!, 0);
      if (n === 0 || text === null) return mapRows([], n, StringType, () => null);
      const format = new NumberFormat(text as string);
      const scale = (vecs[0]!.type as DecimalType).scale;
      return mapRows([vecs[0]!], n, StringType, ([u]) => format.format(u as bigint, scale));
    },
  };
}

export const numberFormatFunctions: ScalarFunction[] = [toNumber("to_number", true), toNumber("try_to_number", false), toChar("to_char"), toChar("to_varchar")];

