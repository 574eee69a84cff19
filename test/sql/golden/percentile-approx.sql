-- percentile_approx / approx_percentile: Spark's Greenwald–Khanna summary, relative error
-- 1/accuracy (default 10000, printed in the column name)
SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10) AS tab(col);
SELECT percentile_approx(col, 0.5, 100) FROM VALUES (0), (6), (7), (9), (10) AS tab(col);
SELECT approx_percentile(a, 0.5), percentile_approx(a, 0), percentile_approx(a, 1), percentile_approx(a, array(0.25, 0.5, 0.75)) FROM VALUES (1), (2), (3), (4), (NULL) AS t(a);
SELECT percentile_approx(CAST(a AS DECIMAL(10,2)), 0.5), percentile_approx(CAST(a AS DOUBLE), 0.5), percentile_approx(date_from_unix_date(a), 0.5), percentile_approx(CAST(a AS BIGINT) * 4611686018427387904L, 0.5) FROM VALUES (1), (2), (3), (4) AS t(a);
SELECT k, percentile_approx(v, 0.5) FROM VALUES ('a', 1), ('a', 9), ('a', 5), ('b', 2) AS t(k, v) GROUP BY k;
SELECT percentile_approx(a, 0.5) FROM VALUES (CAST(NULL AS INT)) AS t(a);
SELECT percentile_approx(id, array(0.01, 0.5, 0.99), 100) FROM range(100000);
SELECT percentile_approx(a, 0.5, 0) FROM VALUES (1) AS t(a);
SELECT percentile_approx(a, 1.5) FROM VALUES (1) AS t(a);
SELECT percentile_approx(a, a) FROM VALUES (1) AS t(a);
