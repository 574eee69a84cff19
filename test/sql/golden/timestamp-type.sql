-- spark.sql.timestampType: what TIMESTAMP means in type names, schema strings, casts,
-- TIMESTAMP '…' literals and to_timestamp (Spark 3.4+); TIMESTAMP_LTZ by default
SET TIME ZONE 'America/Los_Angeles';
SELECT typeof(TIMESTAMP '2020-07-01 12:00:00'), typeof(CAST('2020-07-01 12:00:00' AS TIMESTAMP)), typeof(to_timestamp('2020-07-01 12:00:00')), typeof(to_timestamp_ntz('2020-07-01 12:00:00')), typeof(to_timestamp_ltz('2020-07-01'));
SELECT unix_micros(TIMESTAMP '2020-07-01 12:00:00'), unix_micros(to_timestamp('2020-07-01 12:00', 'yyyy-MM-dd HH:mm'));
CREATE TEMPORARY VIEW ts_view AS SELECT CAST('2020-07-01 12:00:00' AS TIMESTAMP) AS ts;
SET spark.sql.timestampType=TIMESTAMP_NTZ;
SELECT typeof(TIMESTAMP '2020-07-01 12:00:00'), typeof(CAST('2020-07-01 12:00:00' AS TIMESTAMP)), typeof(to_timestamp('2020-07-01 12:00:00')), typeof(to_timestamp_ltz('2020-07-01')), typeof(TIMESTAMP_LTZ '2020-07-01 12:00:00');
SELECT TIMESTAMP '2020-07-01 12:00:00', to_timestamp('2020-07-01 12:00', 'yyyy-MM-dd HH:mm'), CAST(TIMESTAMP '2020-07-01 12:00:00' AS TIMESTAMP_LTZ), hour(TIMESTAMP '2020-07-01 12:00:00');
SELECT ts, typeof(ts), CAST(ts AS TIMESTAMP) FROM ts_view;
SELECT * FROM VALUES (TIMESTAMP '2020-01-01 00:00:00') AS t(x);
SELECT from_json('{"t":"2020-07-01T12:00:00"}', 't TIMESTAMP');
SET spark.sql.timestampType=TIMESTAMP_LTZ;
SELECT typeof(TIMESTAMP '2020-07-01 12:00:00'), typeof(CAST('2020' AS TIMESTAMP));
SET spark.sql.timestampType=LOCAL;
