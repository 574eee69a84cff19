-- GROUPING SETS, ROLLUP, CUBE, grouping(), grouping_id(), GROUP BY ALL, ordinals, aliases, HAVING.
CREATE TEMPORARY VIEW dealer AS SELECT * FROM (
  SELECT 100 AS id, 'Fremont' AS city, 'Honda Civic' AS car_model, 10 AS quantity UNION ALL
  SELECT 100, 'Fremont', 'Honda Accord', 15 UNION ALL
  SELECT 100, 'Fremont', 'Honda CRV', 7 UNION ALL
  SELECT 200, 'Dublin', 'Honda Civic', 20 UNION ALL
  SELECT 200, 'Dublin', 'Honda Accord', 10 UNION ALL
  SELECT 200, 'Dublin', 'Honda CRV', 3 UNION ALL
  SELECT 300, 'San Jose', 'Honda Civic', 5 UNION ALL
  SELECT 300, 'San Jose', 'Honda Accord', 8);

SELECT city, car_model, sum(quantity) AS sum FROM dealer GROUP BY GROUPING SETS ((city, car_model), (city), (car_model), ()) ORDER BY city, car_model;

SELECT city, car_model, sum(quantity) AS sum FROM dealer GROUP BY city, car_model WITH ROLLUP ORDER BY city, car_model;

SELECT city, car_model, sum(quantity) AS sum FROM dealer GROUP BY ROLLUP(city, car_model) ORDER BY city, car_model;

SELECT city, car_model, sum(quantity) AS sum FROM dealer GROUP BY CUBE(city, car_model) ORDER BY city, car_model;

SELECT city, sum(quantity), grouping(city), grouping_id() FROM dealer GROUP BY ROLLUP(city) ORDER BY 4, 1;

SELECT city, car_model, sum(quantity) AS sum FROM dealer GROUP BY city, ROLLUP(car_model) HAVING sum(quantity) > 20 ORDER BY city, car_model;

SELECT city, sum(quantity) AS total FROM dealer GROUP BY ALL ORDER BY total;

SELECT id + 1, count(*) FROM dealer GROUP BY 1 ORDER BY 1;

SELECT city AS c, max(quantity) AS m FROM dealer GROUP BY c ORDER BY c;

SELECT sum(id) AS quantity FROM dealer GROUP BY quantity HAVING quantity > 9 ORDER BY 1;

SELECT city, grouping(city) FROM dealer GROUP BY city;

SELECT city, sum(quantity) FROM dealer GROUP BY 3;

-- grouping() is a TINYINT, grouping_id() a BIGINT (Spark's types)
SELECT a, grouping(a), grouping_id(), typeof(grouping(a)), typeof(grouping_id()), grouping(a) + 1Y FROM VALUES (1), (2) AS t(a) GROUP BY ROLLUP(a) ORDER BY a;
