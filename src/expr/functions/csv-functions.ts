import { csvCellWriter, csvText } from "../../columnar/csv-encoding.ts";
import { inferCsvType, mergeCsvTypes, type CsvInferOptions } from "../../columnar/csv-infer-type.ts";
import { csvRecords, type CsvRecord, type CsvSyntax } from "../../columnar/csv-tokenizer.ts";
import { convertCsvValue, csvDatum } from "../../columnar/csv-value.ts";
import { AnalysisError, ExecutionError } from "../../common/errors.ts";
import { UTC } from "../../common/time-zone.ts";
import { ddlTypeName, StringType, StructType, type DataType } from "../../types/data-types.ts";
import { parseSchema } from "../../types/ddl.ts";
import { typeOf } from "../coercion.ts";
import { zoneOf } from "../eval-context.ts";
import type { Expression } from "../expression.ts";
import { mapRows } from "../vec-ops.ts";
import { CsvFunctionOptions } from "./csv-function-options.ts";
import { checkArity, typeMismatch } from "./function-args.ts";
import type { ScalarFunction } from "./scalar-function.ts";

/** The first record of `text` (from_csv and schema_of_csv read one line, as Spark's parseLine), or null when there is none. */
function firstRecord(text: string, syntax: CsvSyntax): CsvRecord | null {
  for (const record of csvRecords(text, syntax)) return record;
  return null;
}

/** schema_of_csv's answer for a CSV line: `STRUCT<_c0: INT, _c1: STRING>` (Spark's CSVInferSchema, column names _c<i>). */
function inferredSchema(text: string, syntax: CsvSyntax, options: CsvInferOptions): StructType {
  const record = firstRecord(text, syntax);
  const fields = (record?.fields ?? [""]).map((field, i) => {
    const datum = csvDatum(field, record?.quoted[i] ?? false, options);
    const type: DataType = datum === null ? StringType : mergeCsvTypes(null, inferCsvType(datum, null, options));
    return { name: `_c${i}`, dataType: type, nullable: true };
  });
  return new StructType(fields);
}

/** A string literal argument (schema_of_csv's input), or the error Spark gives for another. */
function foldableText(fn: string, arg: Expression, what: string): string {
  if (arg.kind === "Literal" && typeof arg.value === "string") return arg.value;
  throw new AnalysisError(`[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] Cannot resolve "${fn}" due to data type mismatch: the input ${what} should be a foldable "STRING" expression (a string literal)`);
}

/**
 * from_csv's schema argument: a DDL field list literal ('a INT, b STRING'), or
 * schema_of_csv of a literal, as Spark folds it. It must be a struct.
 */
function schemaArgument(arg: Expression): StructType {
  if (arg.kind === "Call" && arg.name === "schema_of_csv" && arg.args.length >= 1) {
    const options = CsvFunctionOptions.of("schema_of_csv", arg.args[1]);
    return inferredSchema(foldableText("schema_of_csv", arg.args[0]!, "csv"), options.syntax(), options.values(UTC));
  }
  if (arg.kind !== "Literal" || typeof arg.value !== "string") {
    throw new AnalysisError("[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema of from_csv must be a string literal such as 'a INT, b STRING'");
  }
  try {
    return parseSchema(arg.value);
  } catch (error) {
    throw new AnalysisError(`[INVALID_SCHEMA.PARSE_ERROR] The input schema '${arg.value}' of from_csv is not a valid schema: ${(error as Error).message}`, { cause: error });
  }
}

function malformedRecord(text: string): ExecutionError {
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return new ExecutionError(`[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: ${shown}. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.`);
}

/**
 * `from_csv(csvStr, 'a INT, b STRING'[, options])`: the first CSV record of the text as a
 * struct, fields by position, as Spark's CsvToStructs: PERMISSIVE keeps what converts (a
 * missing field, or one that does not fit its type, is null); FAILFAST fails on such a
 * record. Options as the CSV source's (sep, quote, escape, nullValue, dateFormat, …).
 */
const fromCsv: ScalarFunction = {
  name: "from_csv",
  resolve(args) {
    checkArity("from_csv", args, 2, 3);
    const options = CsvFunctionOptions.of("from_csv", args[2]);
    options.mode();
    options.values(UTC);
    const input = typeOf(args[0]!);
    if (input.kind !== "string" && input.kind !== "null") throw typeMismatch("from_csv", args, 0, "string");
    return { args, dataType: schemaArgument(args[1]!) };
  },
  evaluate: (vecs, n, ctx, call) => {
    const schema = call.dataType as StructType;
    const options = CsvFunctionOptions.of("from_csv", call.args[2]);
    const failFast = options.mode() === "FAILFAST";
    const syntax = options.syntax();
    const values = options.values(zoneOf(ctx));
    return mapRows([vecs[0]!], n, schema, ([text]) => {
      const record = firstRecord(text as string, syntax);
      const out: Record<string, unknown> = {};
      let bad = record === null || record.error !== null || record.fields.length !== schema.fields.length;
      schema.fields.forEach((f, i) => {
        out[f.name] = null;
        if (record === null || record.error !== null || i >= record.fields.length) return;
        const datum = csvDatum(record.fields[i]!, record.quoted[i]!, values);
        if (datum === null) return;
        const v = convertCsvValue(datum, f.dataType, values);
        if (v === undefined) bad = true;
        else out[f.name] = v;
      });
      if (bad && failFast) throw malformedRecord(text as string);
      return out;
    });
  },
};

/** The types to_csv writes: atomic ones (Spark 4 refuses nested values in a CSV record). */
function isCsvAtomic(t: DataType): boolean {
  return t.kind !== "struct" && t.kind !== "array" && t.kind !== "map";
}

/**
 * `to_csv(struct[, options])`: the struct as one CSV record without a line end, as Spark's
 * StructsToCsv writes it: nulls as the nullValue (""), values quoted when they hold the
 * separator, a quote or a line break; timestamps `yyyy-MM-dd'T'HH:mm:ss.SSSXXX` in the
 * session time zone unless the options say otherwise.
 */
const toCsv: ScalarFunction = {
  name: "to_csv",
  resolve(args) {
    checkArity("to_csv", args, 1, 2);
    CsvFunctionOptions.of("to_csv", args[1]).writer(UTC);
    const t = typeOf(args[0]!);
    if (t.kind !== "struct") throw typeMismatch("to_csv", args, 0, "struct");
    const nested = t.fields.find((f) => !isCsvAtomic(f.dataType));
    if (nested !== undefined) {
      throw new AnalysisError(`[DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE] Cannot resolve "to_csv" due to data type mismatch: The input of \`to_csv\` can't be "${ddlTypeName(nested.dataType)}" type data (field ${nested.name}).`);
    }
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n, ctx, call) => {
    const type = typeOf(call.args[0]!) as StructType;
    const options = CsvFunctionOptions.of("to_csv", call.args[1]).writer(zoneOf(ctx));
    const cell = csvCellWriter(options);
    return mapRows([vecs[0]!], n, StringType, ([row]) => {
      const record = row as Record<string, unknown>;
      return type.fields.map((f) => {
        const v = record[f.name];
        return v === null || v === undefined ? (options.nullValue ?? "") : cell(csvText(v, f.dataType, options.temporalText));
      }).join(options.sep);
    });
  },
};

/** `schema_of_csv('1,abc'[, options])`: the DDL of the struct Spark infers from a CSV line, `STRUCT<_c0: INT, _c1: STRING>`. */
const schemaOfCsv: ScalarFunction = {
  name: "schema_of_csv",
  resolve(args) {
    checkArity("schema_of_csv", args, 1, 2);
    foldableText("schema_of_csv", args[0]!, "csv");
    CsvFunctionOptions.of("schema_of_csv", args[1]).values(UTC);
    return { args, dataType: StringType };
  },
  evaluate: (vecs, n, _ctx, call) => {
    const options = CsvFunctionOptions.of("schema_of_csv", call.args[1]);
    const ddl = ddlTypeName(inferredSchema(foldableText("schema_of_csv", call.args[0]!, "csv"), options.syntax(), options.values(UTC)));
    return mapRows([vecs[0]!], n, StringType, () => ddl, false);
  },
};

export const csvFunctions: readonly ScalarFunction[] = [fromCsv, toCsv, schemaOfCsv];
