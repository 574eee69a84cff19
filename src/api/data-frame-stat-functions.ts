import { AnalysisError } from "../common/errors.ts";
import type { Row } from "../columnar/values.ts";
import { ArrayType, StructField, StructType } from "../types/data-types.ts";
import type { Column } from "./column.ts";
import type { Dataset } from "./dataset.ts";
import type { SessionMode } from "./session-mode.ts";

/**
 * Spark's DataFrameStatFunctions (`df.stat`): the statistics a Dataset also offers itself
 * (corr, cov, crosstab, approxQuantile, sampleBy) and freqItems. Results are computed now,
 * so they are Promises.
 */
export class DataFrameStatFunctions<M extends SessionMode = "local"> {
  readonly #df: Dataset<any, M>;

  /** @internal Made by `df.stat`. */
  constructor(df: Dataset<any, M>) {
    this.#df = df;
  }

  corr(col1: string, col2: string, method = "pearson"): Promise<number | null> { return this.#df.corr(col1, col2, method); }
  cov(col1: string, col2: string): Promise<number | null> { return this.#df.cov(col1, col2); }
  crosstab(col1: string, col2: string): Promise<Dataset<Row, M>> { return this.#df.crosstab(col1, col2); }
  approxQuantile(col: string, probabilities: readonly number[], relativeError: number): Promise<number[]>;
  approxQuantile(cols: readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[][]>;
  approxQuantile(cols: string | readonly string[], probabilities: readonly number[], relativeError: number): Promise<number[] | number[][]> {
    return this.#df.approxQuantile(cols as string, probabilities, relativeError);
  }
  sampleBy(col: Column | string, fractions: ReadonlyMap<unknown, number> | Readonly<Record<string, number>>, seed?: number): Dataset<any, M> {
    return this.#df.sampleBy(col, fractions, seed);
  }

  /**
   * Spark's freqItems(cols, support = 1%): one row with a column `<col>_freqItems` per column,
   * the array of the values found in more than `support` of the rows. Counted exactly here,
   * so without the false positives Spark's one-pass sketch may add.
   */
  async freqItems(cols: readonly string[], support = 0.01): Promise<Dataset<Row, M>> {
    if (!(support >= 1e-4 && support <= 1)) {
      throw new AnalysisError(`[INVALID_PARAMETER_VALUE] The support ${support} must be in [1e-4, 1] (freqItems).`);
    }
    const df = this.#df as unknown as Dataset<Row, M>;
    const schema = await df.schema;
    const fields = cols.map((c) => {
      const i = schema.fieldIndex(c);
      if (i < 0) throw new AnalysisError(`[UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or function parameter with name \`${c}\` cannot be resolved. Did you mean one of the following? [${schema.fieldNames.map((n) => `\`${n}\``).join(", ")}].`);
      return schema.fields[i]!;
    });
    const rows = (await df.select(...cols.map((c) => `\`${c.replace(/`/g, "``")}\``)).collect()) as Row[];
    const minCount = support * rows.length;
    const items = fields.map((f, k) => {
      const counts = new Map<unknown, { value: unknown; n: number }>();
      for (const row of rows) {
        const value = Object.values(row)[k];
        const key = value instanceof Date ? value.getTime() : typeof value === "object" && value !== null ? JSON.stringify(value) : value;
        const entry = counts.get(key) ?? { value, n: 0 };
        entry.n++;
        counts.set(key, entry);
      }
      return [...counts.values()].filter((e) => e.n > minCount).map((e) => e.value);
    });
    const outSchema = new StructType(fields.map((f) => StructField(`${f.name}_freqItems`, ArrayType(f.dataType, true), true)));
    const row = Object.fromEntries(outSchema.fieldNames.map((n, k) => [n, items[k]]));
    return df.sparkSession.createDataFrame([row], outSchema) as unknown as Dataset<Row, M>;
  }
}
