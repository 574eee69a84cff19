-- rivulet evaluates SQL as Spark with ANSI mode off; turning it on is refused, not ignored.
SET spark.sql.ansi.enabled = true;
SET spark.sql.ansi.enabled = false;
SELECT 2147483647 + 1 AS wraps, 1 / 0 AS null_division, CAST('x' AS INT) AS null_cast;
