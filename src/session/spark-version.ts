/**
 * What `spark.version` answers on a local session: the Spark release whose semantics
 * rivulet's engine follows (ANSI mode off, Spark 3.5's defaults), so that code comparing
 * `spark.version` against Spark releases takes the branch that fits. rivulet's own package
 * version is `rivulet/package.json`'s (the user agent of a remote session).
 */
export const SPARK_VERSION = "3.5.0";
