-- Aggregate functions added for Spark's SQL surface (batch; the streaming forms are in
-- test/expr/aggregates/statistical-aggregates.test.ts). Spark computes the higher moments in
-- partial buffers merged per partition, so their last digits depend on the partitioning in Spark
-- too (its doc example gives kurtosis -0.7014368047529627, the exact value is …628).
CREATE TEMPORARY VIEW nums AS SELECT * FROM (
  SELECT 1 AS k, 1.0E0 AS x, 2.0E0 AS y, true AS b, 'a' AS s UNION ALL
  SELECT 1 AS k, 2.0E0 AS x, 4.0E0 AS y, false AS b, 'b' AS s UNION ALL
  SELECT 1 AS k, 4.0E0 AS x, 5.0E0 AS y, true AS b, 'a' AS s UNION ALL
  SELECT 2 AS k, CAST(NULL AS DOUBLE) AS x, 1.0E0 AS y, CAST(NULL AS BOOLEAN) AS b, CAST(NULL AS STRING) AS s UNION ALL
  SELECT 2 AS k, 3.0E0 AS x, 1.0E0 AS y, true AS b, 'c' AS s UNION ALL
  SELECT 3 AS k, CAST(NULL AS DOUBLE) AS x, CAST(NULL AS DOUBLE) AS y, CAST(NULL AS BOOLEAN) AS b, CAST(NULL AS STRING) AS s);

SELECT k, every(b) AS e, bool_and(b) AS ba, any(b) AS an, some(b) AS so, bool_or(b) AS bo, count_if(b) AS ci FROM nums GROUP BY k ORDER BY k;

SELECT k, collect_list(s) AS l, collect_set(s) AS st, array_agg(x) AS ag, mode(s) AS m, max_by(s, x) AS mx, min_by(s, x) AS mn FROM nums GROUP BY k ORDER BY k;

SELECT k, stddev(x) AS sd, std(x) AS sd2, stddev_samp(x) AS ss, stddev_pop(x) AS sp, variance(x) AS v, var_samp(x) AS vs, var_pop(x) AS vp FROM nums GROUP BY k ORDER BY k;

SELECT k, skewness(x) AS sk, kurtosis(x) AS ku FROM nums GROUP BY k ORDER BY k;

SELECT k, corr(x, y) AS c, covar_pop(x, y) AS cp, covar_samp(x, y) AS cs FROM nums GROUP BY k ORDER BY k;

SELECT k, regr_count(y, x) AS n, regr_avgx(y, x) AS ax, regr_avgy(y, x) AS ay, regr_sxx(y, x) AS sxx, regr_syy(y, x) AS syy, regr_sxy(y, x) AS sxy FROM nums GROUP BY k ORDER BY k;

SELECT k, regr_slope(y, x) AS slope, regr_intercept(y, x) AS icpt, regr_r2(y, x) AS r2 FROM nums GROUP BY k ORDER BY k;

SELECT k, percentile(x, 0.5) AS p, percentile(x, array(0.25, 0.75)) AS ps, median(x) AS med, percentile_approx(x, 0.5) AS pa, approx_percentile(x, array(0.5, 0.1), 100) AS pas FROM nums GROUP BY k ORDER BY k;

SELECT k, histogram_numeric(x, 2) AS h FROM nums GROUP BY k ORDER BY k;

SELECT stddev_samp(c) AS a, stddev_pop(c) AS b, var_samp(c) AS c2, var_pop(c) AS d, skewness(c) AS e, kurtosis(c) AS f FROM (SELECT 1 AS c UNION ALL SELECT 2 AS c UNION ALL SELECT 3 AS c);

SELECT skewness(c) AS a, kurtosis(c) AS b FROM (SELECT -10 AS c UNION ALL SELECT -20 AS c UNION ALL SELECT 100 AS c UNION ALL SELECT 1000 AS c);

SELECT corr(c1, c2) AS a, covar_pop(c1, c2) AS b, covar_samp(c1, c2) AS c FROM (SELECT 3 AS c1, 2 AS c2 UNION ALL SELECT 3 AS c1, 3 AS c2 UNION ALL SELECT 6 AS c1, 4 AS c2);

SELECT regr_count(y, x) AS a, regr_r2(y, x) AS b, regr_slope(y, x) AS c, regr_intercept(y, x) AS d FROM (SELECT 1 AS y, 2 AS x UNION ALL SELECT 2 AS y, 2 AS x UNION ALL SELECT 2 AS y, 3 AS x UNION ALL SELECT 2 AS y, 4 AS x);

SELECT percentile(c, 0.3) AS a, median(c) AS b, percentile(c, 0.5, f) AS c FROM (SELECT 0 AS c, 1 AS f UNION ALL SELECT 10 AS c, 3 AS f);

SELECT percentile_approx(c, array(0.5, 0.4, 0.1), 100) AS a, percentile_approx(c, 0.5) AS b FROM (SELECT 0 AS c UNION ALL SELECT 1 AS c UNION ALL SELECT 2 AS c UNION ALL SELECT 10 AS c);

SELECT count_if(c % 2 = 0) AS a, collect_list(c) AS b, collect_set(c) AS d, mode(c) AS e FROM (SELECT NULL AS c UNION ALL SELECT 0 AS c UNION ALL SELECT 1 AS c UNION ALL SELECT 2 AS c UNION ALL SELECT 3 AS c UNION ALL SELECT 2 AS c);

SELECT max_by(x, y) AS a, min_by(x, y) AS b FROM (SELECT 'a' AS x, 10 AS y UNION ALL SELECT 'b' AS x, 50 AS y UNION ALL SELECT 'c' AS x, 20 AS y);

SELECT every(c) AS a, some(c) AS b, collect_list(c) AS d, stddev(c) AS e, percentile(c, 0.5) AS f FROM (SELECT CAST(NULL AS INT) AS c) WHERE c IS NOT NULL;

SELECT percentile(x, 1.5) FROM nums;

SELECT every(x) FROM nums;

SELECT stddev('a', 'b') FROM nums;

SELECT sum(DISTINCT c) AS a, avg(DISTINCT c) AS b, collect_list(DISTINCT c) AS d, percentile(DISTINCT c, 0.5) AS e, count(DISTINCT c) AS f FROM (SELECT 1 AS c UNION ALL SELECT 1 AS c UNION ALL SELECT 2 AS c UNION ALL SELECT 6 AS c UNION ALL SELECT NULL AS c);
