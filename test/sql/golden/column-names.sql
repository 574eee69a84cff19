-- Generated column names are Spark's: no implicit casts, count(*) is count(1), a cast column keeps its name.
CREATE TEMPORARY VIEW t AS SELECT 1 AS a, CAST(2 AS BIGINT) AS b, 'x' AS s;

SELECT 1 = 1, a + b, a = 1.5, s = 1, 1 + 2L FROM t;

SELECT CAST(a AS STRING), CAST(a + 1 AS STRING), upper(s), -a, a IS NULL, coalesce(a, b) FROM t;

SELECT sum(a), count(1), count(*), avg(a), max(b + a), min(s) FROM t;

SELECT a + 1 AS named, a * 2 FROM t;
