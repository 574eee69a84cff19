import { AnalysisError } from "../../common/errors.ts";

/** The session settings a source reads when it is resolved (its SQL conf, as `RuntimeConfig`). */
export interface SourceConf {
  get(key: string): string | undefined;
}

const STREAMING_SCHEMA_INFERENCE = "spark.sql.streaming.schemaInference";

/**
 * Spark's DataSource.sourceSchema check: with spark.sql.streaming.schemaInference false, a
 * file stream (but text, whose schema is fixed) needs a schema. rivulet's default is true,
 * so without a conf (or the key unset) the schema is inferred.
 */
export function requireStreamingSchema(format: string, paths: readonly string[], conf: SourceConf | undefined): void {
  const value = conf?.get(STREAMING_SCHEMA_INFERENCE) ?? "true";
  if (value.trim().toLowerCase() !== "false") return;
  throw new AnalysisError(
    "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it."
      + ` (spark.sql.streaming.schemaInference is false; ${format} source at ${paths.join(", ")})`,
  );
}
