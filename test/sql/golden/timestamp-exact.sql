-- Timestamps are longs of µs: exact beyond 2^53 µs (years past 2255) as Spark's
SELECT CAST(9223372036854775807 AS TIMESTAMP), CAST(-9223372036854775808 AS TIMESTAMP), CAST(9223372036854 AS TIMESTAMP), CAST(1.5D AS TIMESTAMP);
SELECT timestamp_micros(9007199254740993), unix_micros(timestamp_micros(9007199254740993)), unix_micros(timestamp_micros(-9007199254740993)), unix_seconds(timestamp_micros(9223372036854775807)), unix_millis(timestamp_micros(-9223372036854775808));
SELECT timestamp_millis(9223372036854775), unix_micros(timestamp_millis(9223372036854775)), CAST(CAST(9223372036854 AS TIMESTAMP) AS STRING);
SELECT unix_micros(x) FROM VALUES (timestamp_micros(9007199254740993)), (TIMESTAMP '2020-01-01 00:00:00') AS t(x);
SELECT unix_micros(timestamp_micros(9007199254740993) + INTERVAL '1' SECOND), unix_micros(timestamp_micros(9007199254740993) - INTERVAL '1 00:00:00.000001' DAY TO SECOND);
SELECT timestamp_seconds(9223372036855);
SELECT timestamp_millis(9223372036854776);
SELECT timestamp_micros(9223372036854775000) + INTERVAL '1' SECOND;
