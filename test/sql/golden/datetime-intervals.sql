-- Intervals, time zones and TIMESTAMP_NTZ as Spark 3.5 (non-ANSI) has them.
-- ANSI interval literals: the type's fields are the units written.
SELECT INTERVAL '1' HOUR AS a, INTERVAL 3 DAY 1 SECOND AS b, INTERVAL '1-2' YEAR TO MONTH AS c, INTERVAL '1 10:00:00' DAY TO SECOND AS d;

SELECT interval 1 hour, INTERVAL 2 YEARS 3 MONTHS, INTERVAL -'1' DAY, INTERVAL '10:30' HOUR TO MINUTE;

SELECT INTERVAL '1 day 2 hours' AS s;

-- Mixing year-month and day-time units is an error.
SELECT INTERVAL 1 MONTH 2 HOUR;

SELECT INTERVAL '1' YEAR TO DAY;

-- Arithmetic with timestamps, dates and intervals.
SELECT TIMESTAMP '2011-11-11 11:11:11' + INTERVAL '2' DAY AS a, TIMESTAMP '2011-11-11 11:11:11' - INTERVAL '2' SECOND AS b;

SELECT DATE '2020-01-01' - TIMESTAMP '2019-10-06 10:11:12.345678' AS d;

SELECT TIMESTAMP '2019-10-06 10:11:12.345678' - DATE '2020-01-01' AS d;

SELECT DATE '2026-01-10' - DATE '2026-01-01' AS days, DATE '2026-01-31' + 7 AS plus7, 7 + DATE '2026-01-31' AS also, DATE '2026-03-01' - 1 AS minus1;

SELECT DATE '2026-01-31' + INTERVAL '1' MONTH AS m, DATE '2026-01-31' + INTERVAL '2' DAY AS d, DATE '2026-01-01' + INTERVAL '1' HOUR AS h;

SELECT INTERVAL '1' HOUR + INTERVAL '30' MINUTE AS a, INTERVAL '1-2' YEAR TO MONTH - INTERVAL '3' MONTH AS b, - INTERVAL '1' HOUR AS c;

SELECT INTERVAL '1' DAY = INTERVAL '24' HOUR AS eq, INTERVAL '1' HOUR < INTERVAL '61' MINUTE AS lt;

-- Functions with unit arguments.
SELECT dateadd(HOUR, -1, TIMESTAMP '2026-01-01 00:30:00') AS a, timestampadd(MONTH, 1, TIMESTAMP '2026-01-31 10:00:00') AS b, date_add(DAY, 3, TIMESTAMP '2026-01-01 00:00:00') AS c;

SELECT timestampdiff(MINUTE, TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-01 02:30:59') AS a, datediff(DAY, DATE '2026-01-01', DATE '2026-03-01') AS b, timestampdiff(MONTH, TIMESTAMP '2026-01-31 10:00:00', TIMESTAMP '2026-02-28 09:00:00') AS c;

SELECT date_add(DATE '2016-07-30', 1) AS a, date_sub(DATE '2016-07-30', 1) AS b, datediff(DATE '2009-07-31', DATE '2009-07-30') AS c, date_diff(DATE '2009-07-31', DATE '2009-07-30') AS d, add_months(DATE '2016-08-31', 1) AS e;

SELECT dateadd('HOUR', 1, TIMESTAMP '2026-01-01 00:00:00');

SELECT make_interval(1, 2, 0, 3, 4, 5, 6.5) AS a, make_dt_interval(1, 12, 30, 1.001001) AS b, make_ym_interval(1, 2) AS c;

SELECT extract(HOUR FROM TIMESTAMP '2026-01-01 10:20:30') AS h, extract(YEAR FROM DATE '2026-05-06') AS y, date_part('minute', TIMESTAMP '2026-01-01 10:20:30') AS m, extract(SECOND FROM TIMESTAMP '2026-01-01 10:20:30.5') AS s;

SELECT extract(DAY FROM INTERVAL '3 04:00:00' DAY TO SECOND) AS d, extract(HOUR FROM INTERVAL '3 04:00:00' DAY TO SECOND) AS h, extract(MONTH FROM INTERVAL '1-2' YEAR TO MONTH) AS m;

-- Casts between intervals and strings.
SELECT CAST(INTERVAL '1' HOUR AS STRING) AS a, CAST('INTERVAL ''0 01:00:00'' DAY TO SECOND' AS INTERVAL DAY TO SECOND) AS b, CAST('1-2' AS INTERVAL YEAR TO MONTH) AS c;

SELECT CAST(3 AS INTERVAL HOUR) AS a, CAST(INTERVAL '5' DAY AS INT) AS b;

-- Datetime constructors and conversions.
SELECT make_date(2013, 7, 15) AS a, make_date(2019, 7, NULL) AS b, make_date(2019, 2, 30) AS c;

SELECT make_timestamp(2014, 12, 28, 6, 30, 45.887) AS a, make_timestamp(2021, 7, 11, 6, 30, 45.678, 'CET') AS b, make_timestamp(2021, 7, 11, 6, 30, 60.007) AS c, make_timestamp(2019, 6, 30, 23, 59, 60) AS d;

SELECT make_timestamp_ntz(2014, 12, 28, 6, 30, 45.887) AS a, make_timestamp_ltz(2014, 12, 28, 6, 30, 45.887, 'CET') AS b;

SELECT next_day(DATE '2015-01-14', 'TU') AS a, next_day(DATE '2015-01-14', 'xx') AS b, last_day(DATE '2009-01-12') AS c;

SELECT unix_date(DATE '1970-01-02') AS a, date_from_unix_date(1) AS b, unix_seconds(TIMESTAMP '2020-12-01 14:30:08Z') AS c, unix_millis(TIMESTAMP '2020-12-01 14:30:08.999999Z') AS d, unix_micros(TIMESTAMP '2020-12-01 14:30:08.999999Z') AS e;

SELECT timestamp_seconds(1230219000) AS a, timestamp_seconds(1.23) AS b, timestamp_millis(1230219000123) AS c, timestamp_micros(1230219000123123) AS d;

SELECT timestamp_seconds(1230219000123123);

-- Time zones: the session zone, SET TIME ZONE, conversions.
SELECT current_timezone();

SELECT from_utc_timestamp('2016-08-31', 'Asia/Seoul') AS a, to_utc_timestamp('2016-08-31', 'Asia/Seoul') AS b;

SELECT convert_timezone('Europe/Brussels', 'America/Los_Angeles', timestamp_ntz'2021-12-06 00:00:00') AS c;

SET TIME ZONE 'America/Los_Angeles';

SELECT current_timezone();

SELECT TIMESTAMP '2026-03-08 01:30:00' + INTERVAL 1 HOUR AS exact, TIMESTAMP '2026-03-08 01:30:00' + INTERVAL 1 DAY AS next_day_same_clock, hour(TIMESTAMP '2026-07-01 12:00:00Z') AS summer, hour(TIMESTAMP '2026-01-01 12:00:00Z') AS winter;

SELECT TIMESTAMP '2026-03-09 00:00:00' - TIMESTAMP '2026-03-08 00:00:00' AS wall_clock_difference;

SELECT date_format(TIMESTAMP '2026-07-01 12:00:00Z', 'yyyy-MM-dd HH:mm XXX') AS summer, date_format(TIMESTAMP '2026-01-01 12:00:00Z', 'yyyy-MM-dd HH:mm XXX') AS winter;

SELECT to_timestamp('2026-03-08 03:30:00') AS t, to_date(TIMESTAMP '2026-03-09 06:00:00Z') AS d, CAST(TIMESTAMP '2026-07-01 12:00:00Z' AS STRING) AS s;

SELECT convert_timezone('UTC', timestamp_ntz'2021-12-06 00:00:00') AS c;

SET TIME ZONE INTERVAL '+08:00' HOUR TO MINUTE;

SELECT current_timezone(), CAST(TIMESTAMP '2026-01-01 00:00:00Z' AS STRING) AS s;

SET TIME ZONE 'Mars/Olympus_Mons';

-- TIMESTAMP_NTZ and TIMESTAMP_LTZ.
SET TIME ZONE 'America/Los_Angeles';

SELECT timestamp_ntz'2020-01-01 00:00:00' AS n, timestamp_ltz'2020-01-01 00:00:00' AS l;

SELECT CAST(timestamp_ntz'2020-07-01 12:00:00' AS TIMESTAMP) AS to_ltz, CAST(TIMESTAMP '2020-07-01 12:00:00' AS TIMESTAMP_NTZ) AS to_ntz, CAST('2020-07-01 12:00:00+08:00' AS TIMESTAMP_NTZ) AS from_text;

SELECT timestamp_ntz'2020-01-01 10:00:00' + INTERVAL '1' DAY AS a, timestamp_ntz'2020-01-02 00:00:00' - timestamp_ntz'2020-01-01 12:00:00' AS b, CAST(timestamp_ntz'2020-01-01 23:00:00' AS DATE) AS c;

SELECT timestamp_foo'2020-01-01';

-- Scaling ANSI intervals: the result spans its family's fields, rounded half up.
SELECT INTERVAL '1' HOUR * 2 AS a, 3 * INTERVAL '1-1' YEAR TO MONTH AS b, INTERVAL '1' DAY / 3 AS c, INTERVAL '1' HOUR * 1.5 AS d, INTERVAL '1' YEAR / 5 AS e;

SELECT INTERVAL '1' DAY / 0;

-- Intervals in join conditions and window durations.
SELECT a.k, b.v FROM (SELECT 1 AS k, TIMESTAMP '2026-01-01 10:00:03' AS t) a JOIN (SELECT 1 AS k, 'x' AS v, TIMESTAMP '2026-01-01 10:00:05' AS t) b ON a.k = b.k AND a.t BETWEEN b.t - interval 5 seconds AND b.t;

SELECT window(TIMESTAMP '2026-01-01 10:07:00', INTERVAL '10' MINUTE) AS w, window(TIMESTAMP '2026-01-01 10:07:00', interval 1 hour) AS h;

SELECT to_unix_timestamp('2020-01-01 00:00:00'), to_unix_timestamp('2020/01/02', 'yyyy/MM/dd');
-- extract(SECOND …) and date_part('SECOND', …) are Spark's DECIMAL(8,6): seconds with their microseconds, also from TIMESTAMP_NTZ, DATE and intervals.
SELECT extract(SECOND FROM TIMESTAMP '2026-01-01 10:11:12.345678') AS s, date_part('SECOND', TIMESTAMP_NTZ '2026-01-01 10:11:05.5') AS n, extract(SECONDS FROM DATE '2026-01-01') AS d, extract(SECOND FROM INTERVAL '1 10:11:12.5' DAY TO SECOND) AS i, date_part('sec', INTERVAL -3.25 SECONDS) AS c;
