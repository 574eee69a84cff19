-- Tables of Parquet files (issue 17): CREATE TABLE … USING parquet, INSERT INTO … VALUES / SELECT,
-- INSERT OVERWRITE, and SELECT reading back what was inserted. Each table's first write is an
-- INSERT OVERWRITE, so that files left by an earlier run of this file do not count.
SET spark.sql.warehouse.dir = '/tmp/rivulet-golden-parquet-tables';

CREATE TABLE people (id BIGINT, name STRING, born DATE, balance DECIMAL(38,10), seen TIMESTAMP) USING parquet;

INSERT OVERWRITE people VALUES (1, 'ann', DATE '1990-01-02', 1.5, TIMESTAMP '2026-01-01 10:00:00.123456');

INSERT INTO people VALUES
  (9223372036854775807, 'bob', NULL, 12345678901234567890123456.1234567891, NULL),
  (3, 'cy', DATE '2000-02-29', -0.0000000001, TIMESTAMP '2026-06-30 23:59:59.999999');

INSERT INTO TABLE people SELECT id + 10, upper(name), born, balance * 2, seen FROM people WHERE id < 5;

SELECT * FROM people ORDER BY id;

SELECT count(*), sum(balance), max(id), min(seen) FROM people;

DESCRIBE people;

INSERT INTO people VALUES (1, 'x');

INSERT INTO people SELECT 1, 'x', NULL, NULL, NULL, NULL;

INSERT INTO people VALUES ('1', 'x', NULL, NULL, NULL);

CREATE TABLE kinds (t TINYINT, s SMALLINT, f FLOAT, b BOOLEAN, bin BINARY, ntz TIMESTAMP_NTZ) USING parquet;

INSERT OVERWRITE kinds VALUES (1Y, 2S, 1.5F, true, X'CAFE', timestamp_ntz'2026-01-01 00:00:00.5'), (NULL, NULL, NULL, NULL, NULL, NULL);

SELECT t, s, f, b, hex(bin), ntz FROM kinds ORDER BY t NULLS LAST;

INSERT OVERWRITE kinds SELECT 127Y, 32767S, CAST(-2.25 AS FLOAT), false, X'', timestamp_ntz'1970-01-01 00:00:00';

SELECT t, s, f, b, hex(bin), ntz FROM kinds;

CREATE TABLE names (k INT, v STRING) USING json;

INSERT OVERWRITE names SELECT CAST(id AS INT), name FROM people WHERE id < 5;

SELECT * FROM names ORDER BY k;

CREATE TABLE copies USING parquet LOCATION '/tmp/rivulet-golden-parquet-tables/people';

SELECT count(*) FROM copies;
