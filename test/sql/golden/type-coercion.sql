-- Spark's non-ANSI type coercion where a number meets a string: IN lists, coalesce, CASE, if, nvl, nvl2
-- promote to STRING (findWiderCommonType); greatest and least do not (findWiderTypeWithoutStringPromotion).
SELECT '01' IN (1, 'a') AS a, 1 IN (1, 'a') AS b, '1.0' IN (1, 'a') AS c, 'a' IN (1, 'a') AS d;

SELECT '1' IN (1, 2) AS a, '1.0' IN (1, 2) AS b, 1.5 IN (1, 2) AS c, NULL IN (1, 'a') AS d, 'b' IN (1, NULL, 'a') AS e;

SELECT x, x IN (1, 'a') AS hit FROM VALUES ('01'), ('1'), ('a'), (NULL) AS t(x);

SELECT date'2020-01-01' IN ('2020-01-01', 1) AS a;

SELECT true IN ('true');

SELECT coalesce(NULL, 1, 'a') AS a, coalesce(2.5, 'x') AS b, nvl(1, 'a') AS c, ifnull(NULL, 'x') AS d, coalesce(1, 2L) AS e;

SELECT typeof(coalesce(NULL, 1, 'a')) AS a, typeof(CASE WHEN true THEN 1 ELSE 'x' END) AS b, typeof(if(false, 1, 'a')) AS c, typeof(nvl2(NULL, 1, 'a')) AS d;

SELECT CASE WHEN k > 1 THEN k ELSE 'small' END AS w FROM VALUES (1), (2) AS t(k);

SELECT if(k > 1, k, 'small') AS w, nvl2(NULL, k, 'none') AS n FROM VALUES (1), (2) AS t(k);

SELECT CASE WHEN true THEN true ELSE 'x' END;

SELECT coalesce(true, 'x');

SELECT greatest(1, '2');

SELECT least(1, 2.5, 3L) AS a, greatest(date'2020-01-01', timestamp'2020-01-01 10:00:00') AS b;
