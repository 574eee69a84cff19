-- Spark's special call syntax and predicates.
CREATE TEMPORARY VIEW t AS SELECT * FROM (SELECT 1 AS a, 'x' AS b UNION ALL SELECT 1 AS a, NULL AS b UNION ALL SELECT 2 AS a, 'y' AS b UNION ALL SELECT 2 AS a, 'y' AS b);

SELECT count(DISTINCT a, b) AS d, count(t.*) AS s, count(*) AS n, count(a, b) AS ab FROM t;

SELECT struct(a AS id, b AS name) AS s FROM t WHERE b = 'x';

SELECT struct(a, b) AS s FROM t WHERE b = 'x';

SELECT int('12') AS a, bigint('12') AS b, double('1.5') AS c, string(12) AS d, boolean('true') AS e, date('2020-01-02') AS f, timestamp('2020-01-02 03:04:05') AS g, binary('AB') AS h;

SELECT int('1', '2');

SELECT TRY_CAST('12' AS INT) AS a, TRY_CAST('x' AS INT) AS b, try_cast('2020-01-02' AS DATE) AS c;

SELECT 'Spark' LIKE ANY ('%k', 'x%') AS a, 'Spark' LIKE SOME ('x%', 'y%') AS b, 'Spark' LIKE ALL ('S%', '%k') AS c, 'Spark' LIKE ALL ('S%', 'x%') AS d;

SELECT 'Spark' NOT LIKE ANY ('S%', 'x%') AS a, 'Spark' NOT LIKE ALL ('x%', 'y%') AS b, 'Spark' NOT LIKE ALL ('S%', 'y%') AS c;

SELECT 'Spark' LIKE ANY ('x%', NULL) AS a, 'Spark' LIKE ANY ('S%', NULL) AS b, 'Spark' LIKE ALL ('S%', NULL) AS c, NULL LIKE ANY ('S%') AS d;

SELECT 'Spark' ILIKE 'spark' AS a, 'Spark' ILIKE '%PA%' AS b, 'Spark' NOT ILIKE 's%' AS c, 'Spark' ILIKE ANY ('sp%', 'x') AS d, 'Spark' ILIKE ALL ('SP%', '%RK') AS e;

SELECT 'abc' RLIKE 'b' AS a, 'abc' REGEXP '^b' AS b, regexp('abc', 'c$') AS c, regexp_like('abc', '^a') AS d, 'abc' NOT RLIKE 'z' AS e;

SELECT 1 IS DISTINCT FROM 2 AS a, 1 IS DISTINCT FROM 1 AS b, 1 IS DISTINCT FROM NULL AS c, NULL IS DISTINCT FROM NULL AS d, NULL IS NOT DISTINCT FROM NULL AS e, 1 IS NOT DISTINCT FROM NULL AS f;

SELECT 1 <=> 1 AS a, 1 <=> NULL AS b, NULL <=> NULL AS c;

SELECT NULL IS UNKNOWN AS a, true IS UNKNOWN AS b, true IS NOT UNKNOWN AS c, false IS TRUE AS d, false IS NOT TRUE AS e, NULL IS FALSE AS f;

SELECT b FROM t WHERE b IS DISTINCT FROM 'x' ORDER BY b;

SELECT left('Spark SQL', 3) AS a, right('Spark SQL', 3) AS b;

SELECT upper(b FROM 1) FROM t;
