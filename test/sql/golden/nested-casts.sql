-- Casts of arrays, maps and structs convert every element (a nested type of another element type is not the same values).
SELECT CAST(array(1.25) AS ARRAY<INT>) AS a, CAST(array(1, 2) AS ARRAY<STRING>) AS b, CAST(array('1', 'x') AS ARRAY<INT>) AS c;
SELECT CAST(array(TIMESTAMP'2026-01-01 10:00:00') AS ARRAY<STRING>) AS a, CAST(array(DATE'2026-01-01') AS ARRAY<TIMESTAMP>) AS b;
SELECT array_append(array(1.5), 2.25) AS a, concat(array(1.5), array(2.25)) AS b, array_join(array(1.5, 2.25), ',') AS c;
SELECT array_contains(array(1.5), 1.50) AS a, array_contains(array(1), 1.0) AS b, array_position(array(1.5, 2.5), 2.5) AS c;
SELECT CAST(named_struct('a', array(1.25)) AS STRUCT<a: ARRAY<INT>>) AS a, CAST(map('k', 1.5) AS MAP<STRING, INT>) AS b;
