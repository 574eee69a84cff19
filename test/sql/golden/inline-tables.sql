-- Inline tables (Spark's inline-table.sql), range(), column aliases, CTEs and views over them.
VALUES (1, 'a'), (2, 'b') AS t(id, name);

SELECT * FROM VALUES ('one', 1);

SELECT * FROM VALUES ('one', 1) AS data;

SELECT * FROM VALUES ('one', 1) AS data(a, b);

SELECT * FROM VALUES 1, 2, 3 AS data(a);

SELECT * FROM VALUES (1), (2);

SELECT * FROM VALUES ('one', 1), ('two', 2), ('three', NULL) AS data(a, b);

SELECT * FROM VALUES ('one', NULL), ('two', NULL) AS data(a, b);

SELECT * FROM VALUES ('one', 1), ('two', 2L) AS data(a, b);

SELECT * FROM VALUES ('one', 1 + 0), ('two', 1 + 3L) AS data(a, b);

SELECT * FROM VALUES ('one', 2.0D), ('two', 3) AS data(a, b);

SELECT data.a FROM VALUES (1, 'x'), (2, 'y') AS data(a, b) WHERE b = 'y';

SELECT * FROM VALUES ('one', 2.0), ('two') AS data(a, b);

SELECT * FROM VALUES ('one'), ('two') AS data(a, b);

SELECT * FROM VALUES (1), ('a') AS data(a);

SELECT * FROM VALUES ('one', count(1)), ('two', 2) AS data(a, b);

CREATE TEMPORARY VIEW v AS SELECT * FROM VALUES (1, 'a'), (2, 'b') AS t(id, name);

SELECT name FROM v WHERE id = 2;

CREATE TEMPORARY VIEW v2(x, y) AS SELECT * FROM VALUES (1, 'a'), (2, 'b');

SELECT y, x FROM v2;

CREATE OR REPLACE TEMP VIEW v2 AS SELECT 10 AS z;

SELECT * FROM v2;

CREATE TEMPORARY VIEW v3(a, b, c) AS SELECT 1, 2;

WITH t(x, y) AS (SELECT 1, 2) SELECT y, x FROM t;

WITH t(x) AS (SELECT 1, 2) SELECT * FROM t;

WITH t AS (SELECT 1), t AS (SELECT 2) SELECT * FROM t;

SELECT * FROM (SELECT 1, 'p') AS q(n, s);

SELECT * FROM range(3);

SELECT * FROM range(5, 8);

SELECT * FROM range(0, 10, 4);

SELECT * FROM range(10, 0, -3, 2);

SELECT count(*) AS n, sum(id) AS s FROM range(100000);

SELECT r.id + 1 AS next FROM range(2) AS r;

SELECT * FROM range(1, 2, 0);

SELECT * FROM range(1, 2, 3, 4, 5);

SELECT * FROM no_such_function(3);

-- the values are evaluated in the session time zone: a timestamp literal is a local time there
SET spark.sql.session.timeZone = America/New_York;

SELECT CAST(c AS STRING) AS s, unix_timestamp(c) AS u, to_json(struct(c)) AS j FROM VALUES (timestamp'2020-01-01 10:00:00') AS t(c);
