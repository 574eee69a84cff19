-- window() and session_window() in batch SQL, as Spark's SQL reference shows them.
CREATE TEMPORARY VIEW clicks AS
SELECT 'A1' AS a, CAST('2021-01-01 00:00:00' AS TIMESTAMP) AS b
UNION ALL SELECT 'A1', CAST('2021-01-01 00:04:30' AS TIMESTAMP)
UNION ALL SELECT 'A1', CAST('2021-01-01 00:10:00' AS TIMESTAMP)
UNION ALL SELECT 'A2', CAST('2021-01-01 00:01:00' AS TIMESTAMP);

-- The window's fields are selected through its name, as the grouping makes it a column.
SELECT a, window.start, window.end, count(*) AS cnt FROM clicks GROUP BY a, window(b, '5 minutes') ORDER BY a, start;

SELECT a, window.start, window.end, count(*) AS cnt FROM clicks GROUP BY a, window(b, '10 minutes', '5 minutes') ORDER BY a, start;

SELECT a, session_window.start, session_window.end, count(*) AS cnt FROM clicks GROUP BY a, session_window(b, '5 minutes') ORDER BY a, start;

SELECT a, session_window, count(*) AS cnt FROM clicks GROUP BY a, session_window(b, '5 minutes');

-- A gap per row: a CASE giving each row's gap.
SELECT a, session_window.start, session_window.end, count(*) AS cnt FROM clicks
GROUP BY a, session_window(b, CASE WHEN a = 'A1' THEN '10 minutes' ELSE '1 minute' END) ORDER BY a, start;

-- The gap as a day-time INTERVAL, constant or per row.
SELECT a, session_window.start, session_window.end, count(*) AS cnt FROM clicks GROUP BY a, session_window(b, INTERVAL 5 MINUTES) ORDER BY a, start;

SELECT a, session_window.start, session_window.end, count(*) AS cnt FROM clicks
GROUP BY a, session_window(b, CASE WHEN a = 'A1' THEN INTERVAL 10 MINUTES ELSE INTERVAL 1 MINUTE END) ORDER BY a, start;

SELECT count(*) FROM clicks GROUP BY session_window(b, '5 minutes'), session_window(b, '10 minutes');

SELECT session_window(b) FROM clicks;
