-- String literal escapes as Spark's unescapeSQLString: \u and \U code points, octal, raw literals.
SELECT '\u00e9' AS a, length('\u00e9') AS n;

SELECT '\U0001F44D' AS a, length('\U0001F44D') AS n;

SELECT '\052' AS a, 'a\101b' AS b, "\u0041\t|" AS c;

SELECT r'a\nb' AS a, length(r'a\nb') AS n, R"x\'y" AS b;

SELECT 'a\nb' AS a, '\%\_' AS c, '\q' AS d;

-- LIKE … ESCAPE, and like/ilike/rlike called by name.
SELECT 'a%b' LIKE 'a!%b' ESCAPE '!' AS a, 'axb' LIKE 'a!%b' ESCAPE '!' AS b, 'a!b' LIKE 'a!!b' ESCAPE '!' AS c;

SELECT 'A_B' ILIKE 'a#_b' ESCAPE '#' AS a, 'AxB' NOT ILIKE 'a#_b' ESCAPE '#' AS b, 'a\\b' LIKE 'a\\b' ESCAPE '!' AS c;

SELECT like('a_c', 'a\\_c') AS a, like('abc', 'a\\_c') AS b, like('a%c', 'a/%c', '/') AS c, ilike('ABC', 'a%') AS d;

SELECT ilike('A%C', 'a/%c', '/') AS a, rlike('abc', '^a') AS b, rlike('abc', '^b') AS c, 'ABC' NOT ILIKE 'a%' AS d;

SELECT 'abc' LIKE 'a!bc' ESCAPE '!';

SELECT 'abc' LIKE 'a%' ESCAPE '!!';

-- Bitwise operators by Spark's precedence (| < ^ < & < + -), ~, and ! as NOT.
SELECT 5 & 3, 5 | 3, 5 ^ 3, ~5, ~CAST(5 AS BIGINT) AS l;

SELECT 1 | 2 ^ 3 & 4 + 1 AS p, 3 + 1 & 6 AS q, 1 | 6 = 7 AS r, ~-1 AS s;

SELECT CAST(3 AS TINYINT) & CAST(1 AS TINYINT) AS t, CAST(3 AS SMALLINT) | 8 AS i, 9223372036854775807L ^ -1 AS x, 1 & NULL AS n;

SELECT ! true AS a, !(1 = 2) AS b, 1 != 2 AS c, ! 1 = 2 AS d, 2 ! BETWEEN 1 AND 3 AS e, NOT !false AS f;

SELECT 1.5 & 1;

-- Tuple IN: a list of rows compares as structs (a NULL field equals a NULL field); a subquery as a semi/anti join on each column.
CREATE TEMPORARY VIEW pairs AS SELECT * FROM VALUES ('a', 1), ('a', 2), ('b', 1), (NULL, 1), ('c', NULL) AS t(x, y);

SELECT x, y FROM pairs WHERE (x, y) IN (('a', 2), ('b', 1)) ORDER BY x;

SELECT x, y FROM pairs WHERE (x, y) NOT IN (('a', 2), ('b', 1)) ORDER BY x;

SELECT x, y FROM pairs WHERE (x, y) IN (('c', NULL), ('a', 1)) ORDER BY x;

SELECT x, y FROM pairs WHERE (x, y) IN (SELECT * FROM VALUES ('a', 2), ('b', 1) AS u(p, q)) ORDER BY x;

SELECT x, y FROM pairs WHERE (x, y) NOT IN (SELECT * FROM VALUES ('a', 2), ('b', 1) AS u(p, q)) ORDER BY x;

SELECT x, y FROM pairs WHERE (x, y) IN (SELECT p, q FROM VALUES ('a', 2), ('b', 1) AS u(p, q) WHERE u.q = pairs.y) ORDER BY x;

SELECT (1, 'a') AS r;

SELECT x FROM pairs WHERE (x, y) IN (SELECT p FROM VALUES ('a') AS u(p));

-- percentile_cont(p) WITHIN GROUP (ORDER BY x [DESC]): Spark's Percentile of x at p (1 − p descending).
SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY x) AS pc, percentile_cont(0.25) WITHIN GROUP (ORDER BY x DESC) AS pd, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS m FROM VALUES (1), (2), (3), (4), (NULL) AS t(x);

SELECT k, percentile_cont(0.5) WITHIN GROUP (ORDER BY v) AS m FROM VALUES ('a', 1.0D), ('a', 4.0D), ('b', 10.0D) AS t(k, v) GROUP BY k ORDER BY k;

SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM VALUES (1) AS t(x);

SELECT sum(x) WITHIN GROUP (ORDER BY x) FROM VALUES (1) AS t(x);

SELECT 1 AS within;

SELECT mode() WITHIN GROUP (ORDER BY x) AS m FROM VALUES (3), (1), (3), (1), (2), (NULL) AS t(x);

SELECT mode() WITHIN GROUP (ORDER BY x DESC) AS m FROM VALUES (3), (1) AS t(x);
