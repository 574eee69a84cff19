-- The runner itself: a query, a schema with nested types, an error, a view across statements.
SELECT 1 + 1 AS two;

SELECT 'a' AS s, CAST(NULL AS STRING) AS n, 1.5E0 AS d, CAST(10 AS BIGINT) AS l;

SELECT named_struct('a', 1, 'b', 'x') AS st, array(1, NULL, 3) AS arr;

SELECT TIMESTAMP '2026-01-01 10:00:00' AS ts, DATE '2026-01-01' AS d;

CREATE TEMPORARY VIEW people AS SELECT * FROM (SELECT 'ann' AS name, 31 AS age UNION ALL SELECT 'bob' AS name, 27 AS age);

SELECT name, age FROM people ORDER BY age;

SELECT name FROM people;

SELECT count(*) AS n FROM people WHERE age > 30;

SELECT no_such_column FROM people;

-- TABLE t is SELECT * FROM t; SHOW COLUMNS lists a table's columns.
TABLE people;

TABLE people UNION ALL TABLE people ORDER BY 2 LIMIT 1;

SHOW COLUMNS IN people;

SHOW COLUMNS FROM people IN default;

SHOW COLUMNS IN people IN other_db;
