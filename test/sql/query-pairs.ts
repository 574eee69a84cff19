import {
  approx_count_distinct, avg, col, count, date_trunc, first, hour, last, length, lower, max, min, not, substring, sum,
  upper, when, window, type DataFrame,
} from "../../src/index.ts";

/**
 * The same queries written in SQL and with the DataFrame API. `logs` and `users` are
 * temp views over the DataFrames the builders receive.
 */
export interface QueryPair {
  readonly name: string;
  readonly sql: string;
  readonly df: (logs: DataFrame, users: DataFrame) => DataFrame;
  /** Output mode when run as a stream; absent when streaming cannot run it (global sort). */
  readonly streaming?: "append" | "complete";
  /** Results come in a defined order (ORDER BY). */
  readonly ordered?: boolean;
}

export const LOG_DDL = "time TIMESTAMP, action STRING, url STRING, userId STRING, bytes LONG";
export const USER_DDL = "userId STRING, name STRING, country STRING";

const t = (hms: string): Date => new Date(`2026-01-01T${hms}Z`);
export const LOG_ROWS = [
  { time: t("10:05:00"), action: "click", url: "/home/a", userId: "u1", bytes: 100 },
  { time: t("10:20:00"), action: "view", url: "/shop/b", userId: "u2", bytes: 250 },
  { time: t("10:59:59"), action: "click", url: "/home/c", userId: "u2", bytes: 50 },
  { time: t("11:00:00"), action: "buy", url: "/shop/d", userId: "u1", bytes: 1000 },
  { time: t("11:30:00"), action: "view", url: "/home/e", userId: "u3", bytes: null },
  { time: t("12:15:00"), action: null, url: "/other", userId: "u4", bytes: 10 },
];
export const USER_ROWS = [
  { userId: "u1", name: "Ada", country: "UK" },
  { userId: "u2", name: "Grace", country: "US" },
  { userId: "u3", name: "Edsger", country: "NL" },
];

export const QUERY_PAIRS: readonly QueryPair[] = [
  { name: "filter", sql: "SELECT * FROM logs WHERE bytes > 100", df: (l) => l.filter(col("bytes").gt(100)), streaming: "append" },
  {
    name: "projection with arithmetic and functions",
    sql: "SELECT action, bytes * 2 AS b2, upper(url) AS u FROM logs",
    df: (l) => l.select(col("action"), col("bytes").multiply(2).as("b2"), upper("url").as("u")),
    streaming: "append",
  },
  {
    name: "boolean logic",
    sql: "select url from logs where action = 'click' or not bytes < 100",
    df: (l) => l.filter(col("action").equalTo("click").or(not(col("bytes").lt(100)))).select("url"),
    streaming: "append",
  },
  {
    name: "IN, LIKE, IS NOT NULL",
    sql: "SELECT url FROM logs WHERE action IN ('click', 'buy') AND url LIKE '/home%' AND bytes IS NOT NULL",
    df: (l) => l.filter(col("action").isin("click", "buy").and(col("url").like("/home%")).and(col("bytes").isNotNull())).select("url"),
    streaming: "append",
  },
  { name: "BETWEEN", sql: "SELECT * FROM logs WHERE bytes BETWEEN 50 AND 500", df: (l) => l.filter(col("bytes").between(50, 500)), streaming: "append" },
  {
    name: "CASE WHEN",
    sql: "SELECT url, CASE WHEN bytes > 100 THEN 'big' ELSE 'small' END AS size FROM logs",
    df: (l) => l.select(col("url"), when(col("bytes").gt(100), "big").otherwise("small").as("size")),
    streaming: "append",
  },
  {
    name: "CAST",
    sql: "SELECT CAST(bytes AS INT) AS b, CAST(time AS DATE) AS d FROM logs",
    df: (l) => l.select(col("bytes").cast("int").as("b"), col("time").cast("date").as("d")),
    streaming: "append",
  },
  {
    name: "count(*) by key",
    sql: "SELECT action, count(*) AS n FROM logs GROUP BY action",
    df: (l) => l.groupBy("action").agg(count("*").as("n")),
    streaming: "complete",
  },
  {
    name: "every numeric aggregate",
    sql: "SELECT action, sum(bytes) AS s, avg(bytes) AS a, min(bytes) AS mn, max(bytes) AS mx, count(bytes) AS c, mean(bytes) AS m FROM logs GROUP BY action",
    df: (l) => l.groupBy("action").agg(sum("bytes").as("s"), avg("bytes").as("a"), min("bytes").as("mn"), max("bytes").as("mx"), count("bytes").as("c"), avg("bytes").as("m")),
    streaming: "complete",
  },
  {
    name: "first and last",
    sql: "SELECT userId, first(url) AS f, last(url) AS l FROM logs GROUP BY userId",
    df: (l) => l.groupBy("userId").agg(first("url").as("f"), last("url").as("l")),
    streaming: "complete",
  },
  {
    name: "approx_count_distinct",
    sql: "SELECT action, approx_count_distinct(userId) AS users FROM logs GROUP BY action",
    df: (l) => l.groupBy("action").agg(approx_count_distinct("userId").as("users")),
    streaming: "complete",
  },
  {
    name: "global aggregate",
    sql: "SELECT count(*) AS n, sum(bytes) AS total FROM logs",
    df: (l) => l.agg(count("*").as("n"), sum("bytes").as("total")),
    streaming: "complete",
  },
  {
    name: "tumbling window, renamed",
    sql: "SELECT window(time, '1 hour') AS w, count(*) AS n FROM logs GROUP BY window(time, '1 hour')",
    df: (l) => l.groupBy(window("time", "1 hour")).agg(count("*").as("n")).withColumnRenamed("window", "w"),
    streaming: "complete",
  },
  {
    name: "sliding window",
    sql: "SELECT action, window(time, '1 hour', '30 minutes') AS window, sum(bytes) AS s FROM logs GROUP BY action, window(time, '1 hour', '30 minutes')",
    df: (l) => l.groupBy(col("action"), window("time", "1 hour", "30 minutes")).agg(sum("bytes").as("s")),
    streaming: "complete",
  },
  {
    name: "window with INTERVAL, grouped by alias",
    sql: "SELECT window(time, INTERVAL 1 HOUR) AS window, count(*) AS n FROM logs GROUP BY window",
    df: (l) => l.groupBy(window("time", "1 hour")).agg(count("*").as("n")),
    streaming: "complete",
  },
  {
    name: "GROUP BY ordinal",
    sql: "SELECT action, count(*) AS n FROM logs GROUP BY 1",
    df: (l) => l.groupBy("action").agg(count("*").as("n")),
    streaming: "complete",
  },
  {
    name: "HAVING on an aggregate not selected",
    sql: "SELECT action FROM logs GROUP BY action HAVING sum(bytes) > 200",
    df: (l) => l.groupBy("action").agg(sum("bytes")).filter(col("sum(bytes)").gt(200)).select("action"),
    streaming: "complete",
  },
  {
    name: "HAVING on an alias, ORDER BY aggregate",
    sql: "SELECT action, count(*) AS n FROM logs GROUP BY action HAVING n >= 1 ORDER BY count(*) DESC, action",
    df: (l) => l.groupBy("action").agg(count("*").as("n")).filter(col("n").geq(1)).orderBy(col("n").desc(), col("action")),
    streaming: "complete",
    ordered: true,
  },
  {
    name: "join with a static table",
    sql: "SELECT l.url, u.name FROM logs l JOIN users u ON l.userId = u.userId",
    df: (l, u) => l.alias("l").join(u.alias("u"), col("l.userId").equalTo(col("u.userId"))).select(col("l.url"), col("u.name")),
    streaming: "append",
  },
  {
    name: "left join USING",
    sql: "SELECT * FROM logs LEFT OUTER JOIN users USING (userId)",
    df: (l, u) => l.alias("logs").join(u.alias("users"), ["userId"], "left_outer"),
    streaming: "append",
  },
  {
    name: "CTE",
    sql: "WITH big AS (SELECT * FROM logs WHERE bytes > 50) SELECT action, count(*) AS n FROM big GROUP BY action",
    df: (l) => l.filter(col("bytes").gt(50)).alias("big").groupBy("action").agg(count("*").as("n")),
    streaming: "complete",
  },
  {
    name: "subquery in FROM",
    sql: "SELECT action, n FROM (SELECT action, count(*) AS n FROM logs GROUP BY action) t WHERE n > 1",
    df: (l) => l.groupBy("action").agg(count("*").as("n")).alias("t").filter(col("n").gt(1)).select("action", "n"),
    streaming: "complete",
  },
  {
    name: "UNION ALL",
    sql: "SELECT url FROM logs WHERE action = 'click' UNION ALL SELECT url FROM logs WHERE action = 'buy'",
    df: (l) => l.filter(col("action").equalTo("click")).select("url").union(l.filter(col("action").equalTo("buy")).select("url")),
    streaming: "append",
  },
  { name: "DISTINCT", sql: "SELECT DISTINCT action FROM logs", df: (l) => l.select("action").distinct(), streaming: "append" },
  {
    name: "ORDER BY … LIMIT",
    sql: "SELECT url, bytes FROM logs ORDER BY bytes DESC NULLS LAST, url LIMIT 3",
    df: (l) => l.select("url", "bytes").orderBy(col("bytes").desc_nulls_last(), col("url")).limit(3),
    ordered: true,
  },
  {
    name: "string functions",
    sql: "SELECT lower(action) AS a, length(url) AS len, substring(url, 2, 4) AS s FROM logs",
    df: (l) => l.select(lower("action").as("a"), length("url").as("len"), substring("url", 2, 4).as("s")),
    streaming: "append",
  },
  {
    name: "date functions",
    sql: "SELECT hour(time) AS h, date_trunc('hour', time) AS t FROM logs WHERE time >= TIMESTAMP '2026-01-01 10:30:00'",
    df: (l) => l.filter(col("time").geq(new Date("2026-01-01T10:30:00Z"))).select(hour("time").as("h"), date_trunc("hour", "time").as("t")),
    streaming: "append",
  },
  {
    name: "watermarked window",
    sql: "SELECT window(time, '1 hour') AS window, count(*) AS n FROM logs WATERMARK time DELAY OF INTERVAL 10 MINUTES GROUP BY window(time, '1 hour')",
    df: (l) => l.withWatermark("time", "10 minutes").groupBy(window("time", "1 hour")).agg(count("*").as("n")),
    streaming: "complete",
  },
];
