-- Exact numeric types as Spark 3.5 (non-ANSI): DECIMAL(p,s), TINYINT, SMALLINT, FLOAT.

-- Literal types: an unsuffixed fraction is DECIMAL as written, an exponent makes it DOUBLE.
SELECT 123.45 AS a, 0.001 AS b, .5 AS c, 1E2 AS d, 1.5E-1 AS e, 1.5BD AS f, 1.5D AS g, 1.5F AS h;

-- A signed exponent after an integer is a number, not the name `1e` (the longest token wins); `1e5x` is a name.
SELECT 1e-5 AS a, 2E-3D AS b, 1e+5D AS c, 1e-2BD AS d, typeof(1e-5) AS t, 1e5x FROM VALUES (7) AS v(`1e5x`);

SELECT 1Y AS a, 1S AS b, 1L AS c, -128Y AS d, 32767S AS e, 12345678901234567890 AS f;

SELECT 128Y AS x;

SELECT 32768S AS x;

-- DDL names: DECIMAL is (10,0), NUMERIC and DEC are DECIMAL, REAL is FLOAT.
SELECT CAST(1 AS DECIMAL) AS a, CAST(1 AS NUMERIC(5)) AS b, CAST(1 AS DEC(4,2)) AS c, CAST(1 AS REAL) AS d, CAST(1 AS BYTE) AS e, CAST(1 AS SHORT) AS f;

-- Casts to DECIMAL: HALF_UP rounding, NULL on overflow.
SELECT CAST('12.345' AS DECIMAL(10,2)) AS a, CAST('-12.345' AS DECIMAL(10,2)) AS b, CAST('abc' AS DECIMAL(10,2)) AS c, CAST('123.4' AS DECIMAL(3,1)) AS d, CAST(' 7 ' AS DECIMAL(3,1)) AS e, CAST('1e3' AS DECIMAL(6,1)) AS f;

SELECT CAST(0.1D AS DECIMAL(20,18)) AS a, CAST(1.005D AS DECIMAL(5,2)) AS b, CAST(CAST('NaN' AS DOUBLE) AS DECIMAL(5,2)) AS c, CAST(2147483647 AS DECIMAL(9,0)) AS d, CAST(2147483647 AS DECIMAL(10,0)) AS e, CAST(true AS DECIMAL(2,1)) AS f;

-- Casts from DECIMAL: truncation toward zero for integers, Java's narrowing on overflow.
SELECT CAST(2.7 AS INT) AS a, CAST(-2.7 AS BIGINT) AS b, CAST(300.5 AS TINYINT) AS c, CAST(12.5 AS DOUBLE) AS d, CAST(12.50 AS STRING) AS e, CAST(0.0 AS BOOLEAN) AS f, CAST(1.25 AS FLOAT) AS g;

-- Narrowing integer casts wrap as Java's; doubles go through a saturating int.
SELECT CAST(300 AS TINYINT) AS a, CAST(-129 AS TINYINT) AS b, CAST(70000 AS SMALLINT) AS c, CAST(1e10 AS TINYINT) AS d, CAST('200' AS TINYINT) AS e, CAST('-32768' AS SMALLINT) AS f, CAST(9223372036854775807 AS SMALLINT) AS g;

-- Decimal arithmetic result types (DecimalPrecision, allowPrecisionLoss true).
SELECT 1.5 + 1 AS a, 1.5 - 3 AS b, 1.50 * 2.0 AS c, 1.5 / 2 AS d, 10.5 % 3 AS e, 1 / 3.0 AS f;

SELECT CAST(1 AS DECIMAL(38,10)) + CAST(1 AS DECIMAL(38,10)) AS a, CAST(2 AS DECIMAL(38,18)) * CAST(3 AS DECIMAL(38,18)) AS b, CAST(1 AS DECIMAL(38,10)) / CAST(3 AS DECIMAL(38,10)) AS c;

SELECT 99999999999999999999999999999999999999 + 1 AS overflow, 1.5 / 0 AS div0, 1.5 % 0 AS mod0, -(1.50) AS neg, abs(-1.50) AS abs;

-- Decimal with an integer column: INT is DECIMAL(10,0); with a double: DOUBLE.
SELECT x + 1.5 AS a, x * 1.5 AS b, CAST(x AS BIGINT) + 1.5 AS c, 1.5 + 1.5D AS d, 1.5 + CAST(1.5 AS FLOAT) AS e FROM (SELECT 2 AS x);

-- Comparisons across decimal scales and with other numeric types.
SELECT 1.5 = 1.50 AS a, 1.5 > 1.49 AS b, 2 = 2.0 AS c, 1.5 < 1.5D AS d, 0.1 = 0.1D AS e, 100000000000000000000.1 > 100000000000000000000.0 AS f;

-- TINYINT and SMALLINT arithmetic stays in the type and wraps as Java's byte and short.
SELECT 127Y + 1Y AS a, -128Y - 1Y AS b, 100Y * 3Y AS c, 32767S + 1S AS d, 7Y % 3Y AS e, 7Y / 2Y AS f, 1Y + 1S AS g, 1S + 1 AS h;

-- FLOAT arithmetic is single precision; FLOAT with BIGINT is FLOAT, with DOUBLE is DOUBLE.
SELECT 0.1F + 0.2F AS a, 1.1F * 1.1F AS b, 1F / 3F AS c, 1.5F + 1L AS d, 1.5F + 1.5D AS e, CAST(0.1F AS DOUBLE) AS f, CAST(16777217 AS FLOAT) AS g;

-- Rounding: HALF_UP (round) and HALF_EVEN (bround) on decimals; exact on longs to negative scales.
SELECT round(2.5) AS a, round(-2.5) AS b, bround(2.5) AS c, bround(3.5) AS d, round(1.2345, 2) AS e, round(123.45, -1) AS f, floor(-1.5) AS g, ceil(1.1) AS h;

SELECT round(1234567L, -2) AS a, round(9007199254740993L, -1) AS b, bround(25L, -1) AS c, round(9223372036854775807, -1) AS d, round(125, -1) AS e;

-- Aggregates: sum of DECIMAL(p,s) is DECIMAL(p+10,s); avg is DECIMAL(p+4,s+4); min/max keep the type.
CREATE TEMPORARY VIEW money AS SELECT * FROM (
  SELECT 'a' AS k, CAST('10.25' AS DECIMAL(10,2)) AS amount, 1Y AS y, 1.5F AS f UNION ALL
  SELECT 'a' AS k, CAST('0.10' AS DECIMAL(10,2)) AS amount, 2Y AS y, 2.5F AS f UNION ALL
  SELECT 'b' AS k, CAST('-3.33' AS DECIMAL(10,2)) AS amount, 127Y AS y, 0.1F AS f UNION ALL
  SELECT 'b' AS k, CAST(NULL AS DECIMAL(10,2)) AS amount, 127Y AS y, NULL AS f);

SELECT k, sum(amount) AS total, avg(amount) AS mean, min(amount) AS lo, max(amount) AS hi, count(amount) AS n FROM money GROUP BY k ORDER BY k;

SELECT k, sum(y) AS sy, avg(y) AS ay, max(y) AS my, sum(f) AS sf, max(f) AS mf FROM money GROUP BY k ORDER BY k;

SELECT avg(x) AS a FROM (SELECT CAST(1 AS DECIMAL(5,0)) AS x UNION ALL SELECT CAST(2 AS DECIMAL(5,0)) AS x UNION ALL SELECT CAST(2 AS DECIMAL(5,0)) AS x);

-- Decimal keys: 1.1 and 1.10 are one value in a DECIMAL column.
SELECT d, count(*) AS n FROM (SELECT CAST(1.1 AS DECIMAL(5,2)) AS d UNION ALL SELECT 1.10 AS d UNION ALL SELECT 2.00 AS d) GROUP BY d ORDER BY d;

SELECT DISTINCT d FROM (SELECT 1.10 AS d UNION ALL SELECT 1.1 AS d) ORDER BY d;

-- BIGINT seconds as TIMESTAMP: microseconds saturate at the long range (Spark's SECONDS.toMicros).
SELECT CAST(CAST(9223372036854775807 AS TIMESTAMP) AS BIGINT) AS a, CAST(CAST(-9223372036854775808 AS TIMESTAMP) AS BIGINT) AS b, CAST(CAST(1700000000 AS TIMESTAMP) AS BIGINT) AS c;

-- typeof-style names in a schema and in a DataFrame's DDL.
CREATE TEMPORARY VIEW typed AS SELECT CAST(1 AS TINYINT) AS y, CAST(1 AS SMALLINT) AS s, CAST(1 AS FLOAT) AS f, CAST(1 AS DECIMAL(5,2)) AS d;

DESCRIBE typed;
