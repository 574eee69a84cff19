import { AnalysisError } from "../common/errors.ts";

/**
 * What a remote session refuses at the call, in Spark's words (`[UNSUPPORTED_ON_SPARK_CONNECT]`),
 * each saying what to do instead: a Spark cluster runs only what Spark Connect can send it.
 */
export function unsupportedOnSparkConnect(what: string): AnalysisError {
  return new AnalysisError(`[UNSUPPORTED_ON_SPARK_CONNECT] ${what}`);
}

/** `filter(row => …)`, `map`, `flatMap`, `groupByKey(…)…`: a JavaScript function. */
export function javaScriptFunction(call: string): AnalysisError {
  return unsupportedOnSparkConnect(
    `${call} runs a JavaScript function, which a Spark cluster cannot run: use Column expressions (\`filter(col("bytes").gt(1024))\`) or a local session.`,
  );
}

export function foreachBatchRefused(call: "foreach" | "foreachBatch" = "foreachBatch"): AnalysisError {
  return unsupportedOnSparkConnect(
    `${call}: Spark runs only Python and Scala ${call} functions: write with Spark's sinks (\`format("json" | "parquet" | "delta" | "kafka")\`, \`toTable\`).`,
  );
}

export function jdbcSinkRefused(): AnalysisError {
  return unsupportedOnSparkConnect(
    `writeStream.format("jdbc"): Spark has no streaming JDBC sink and rivulet's runs in this process: let Spark write the stream to files exactly once (\`format("json").option("path", dir)\`) and a local rivulet job move them to the database (\`spark.readStream.json(dir)…format("jdbc")\`).`,
  );
}

export function dstreamsRefused(): AnalysisError {
  return unsupportedOnSparkConnect("DStreams on a remote session: not part of Spark Connect: use readStream/writeStream.");
}

/** MemoryStream, Flume sources, streaming INSERT INTO … FROM STREAM(t), `rivulet.*` settings. */
export function localOnly(what: string): AnalysisError {
  return unsupportedOnSparkConnect(`${what}: local only, it runs in this process: use a local session (Session.builder() without remote()).`);
}
