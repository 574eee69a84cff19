-- IN / NOT IN / EXISTS / NOT EXISTS and scalar subqueries, correlated where Spark decorrelates them.
CREATE TEMPORARY VIEW a AS SELECT * FROM VALUES (1, 'x'), (2, 'y'), (NULL, 'n'), (3, 'z') AS a(k, v);

CREATE TEMPORARY VIEW b AS SELECT * FROM VALUES (2, 10), (3, 20), (3, 30), (4, 40) AS b(k, w);

CREATE TEMPORARY VIEW c AS SELECT * FROM VALUES (2), (NULL) AS c(k);

SELECT * FROM a WHERE k IN (SELECT k FROM b);

SELECT * FROM a WHERE k NOT IN (SELECT k FROM b);

SELECT * FROM a WHERE k NOT IN (SELECT k FROM c);

SELECT * FROM a WHERE k NOT IN (SELECT k FROM c WHERE k > 5);

SELECT * FROM a WHERE k IN (SELECT k FROM c);

SELECT * FROM a WHERE v = 'x' OR k IN (1, 2);

SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k);

SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k);

SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE w > 100);

SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.k = a.k AND w > 25);

SELECT * FROM a WHERE k IN (SELECT k FROM b WHERE w > 15 AND b.k = a.k);

SELECT * FROM a WHERE k IN (SELECT k FROM b) AND NOT EXISTS (SELECT 1 FROM c WHERE c.k = a.k);

SELECT (SELECT max(w) FROM b) AS m;

SELECT k, (SELECT max(w) FROM b) AS m FROM a;

SELECT k, (SELECT max(w) FROM b WHERE b.k = a.k) AS m FROM a;

SELECT k, (SELECT count(w) FROM b WHERE b.k = a.k) + 1 AS c FROM a WHERE k IS NOT NULL;

SELECT k, (SELECT count(*) FROM b WHERE b.k = a.k) AS c, (SELECT sum(w) FROM b WHERE b.k = a.k) AS s FROM a;

SELECT * FROM a WHERE k = (SELECT min(k) FROM b);

SELECT * FROM a WHERE k > (SELECT avg(w) FROM b WHERE b.k = a.k) - 25;

SELECT (SELECT w FROM b WHERE k > 10) AS none;

SELECT (SELECT w FROM b) AS many;

SELECT (SELECT k, w FROM b) AS two;

SELECT k, (SELECT w FROM b WHERE b.k = a.k) FROM a;

-- a correlated scalar subquery is aggregated per correlation key; other correlations through a domain join (count bug: 0, not NULL)
SELECT id, (SELECT count(*) FROM range(3) b WHERE b.id = a.id) FROM range(4) a;
SELECT id, (SELECT count(*) FROM range(2) b WHERE b.id >= a.id) FROM range(2) a;

SELECT id, (SELECT count(*) FROM range(3) b WHERE b.id > a.id) AS c, (SELECT max(b.id) FROM range(3) b WHERE b.id < a.id) AS m FROM range(4) a;

SELECT k, (SELECT count(*) FROM b WHERE b.k >= a.k) AS c, (SELECT sum(w) FROM b WHERE b.k < a.k) AS s FROM a;

SELECT k, (SELECT count(w) FROM b WHERE b.k = a.k AND b.w >= a.k * 5) AS c FROM a;

SELECT * FROM a WHERE k * 10 > (SELECT avg(w) FROM b WHERE b.k < a.k);

SELECT k, v, (SELECT count(*) + 1 FROM b WHERE b.k <=> a.k OR b.w > 35) AS c FROM a;

SELECT k, (SELECT sum(w) FROM b WHERE b.k <> a.k AND w > 10) AS s FROM a ORDER BY k;

SELECT k, (SELECT count(*) FROM b WHERE w > 15 AND b.k > a.k) AS c FROM a;

SELECT k, v, (SELECT max(w) FROM b WHERE b.k > a.k AND v <> 'z') AS c FROM a;

-- EXISTS / IN where their value is seen (under OR or NOT, in a SELECT list): Spark's existence join, with IN's three-valued NULLs
SELECT k, k IN (SELECT k FROM c) AS hit FROM a;

SELECT k, k NOT IN (SELECT k FROM c) AS miss, k IN (SELECT k FROM c WHERE k > 5) AS empty FROM a;

SELECT * FROM a WHERE v = 'x' OR k IN (SELECT k FROM b);

SELECT * FROM a WHERE v = 'y' OR k NOT IN (SELECT k FROM c);

SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.k = a.k) OR v = 'z';

SELECT k, EXISTS (SELECT 1 FROM b WHERE b.k = a.k) AS e, NOT EXISTS (SELECT 1 FROM b WHERE w > 100) AS none FROM a;

SELECT k, k IN (SELECT k FROM b WHERE b.w > a.k * 8) AS hit FROM a;

SELECT k, (k, v) IN (SELECT k, CAST(w AS STRING) FROM b) AS t FROM a;

SELECT k, CASE WHEN k IN (SELECT k FROM b) THEN 'in' ELSE 'out' END AS w FROM a;

SELECT k, k IN (SELECT k FROM b) AS i FROM a WHERE rand() < 2;

-- a scalar subquery, IN and EXISTS in HAVING
SELECT k, count(*) AS n FROM b GROUP BY k HAVING count(*) > (SELECT avg(k) FROM c);

SELECT k, sum(w) AS s FROM b GROUP BY k HAVING k IN (SELECT k FROM a) OR sum(w) > 35;

SELECT k, sum(w) AS s FROM b GROUP BY k HAVING NOT EXISTS (SELECT 1 FROM a WHERE a.k = b.k);
