-- Window functions (Spark 3.5 semantics): ranking, offsets, frames, named windows, names and errors.
CREATE TEMPORARY VIEW basic_pays AS SELECT * FROM (
  SELECT 'Jane' AS employee_name, 'Sales' AS department, 9000 AS salary UNION ALL
  SELECT 'Bob', 'Sales', 8600 UNION ALL
  SELECT 'Ann', 'Sales', 8600 UNION ALL
  SELECT 'Zoe', 'Sales', 6500 UNION ALL
  SELECT 'Ash', 'Eng', 10000 UNION ALL
  SELECT 'Kim', 'Eng', 7000 UNION ALL
  SELECT 'Lee', 'Eng', CAST(NULL AS INT) UNION ALL
  SELECT 'Max', 'Ops', 5000);

SELECT employee_name, department, salary, rank() OVER (PARTITION BY department ORDER BY salary DESC) AS rank FROM basic_pays ORDER BY department, rank, employee_name;

SELECT employee_name, department, salary, dense_rank() OVER (PARTITION BY department ORDER BY salary DESC) AS dense_rank FROM basic_pays ORDER BY department, dense_rank, employee_name;

SELECT employee_name, department, row_number() OVER (PARTITION BY department ORDER BY salary DESC NULLS LAST, employee_name) AS rn FROM basic_pays ORDER BY department, rn;

SELECT employee_name, department, percent_rank() OVER w AS pr, cume_dist() OVER w AS cd, ntile(2) OVER w AS nt FROM basic_pays WINDOW w AS (PARTITION BY department ORDER BY salary, employee_name) ORDER BY department, salary, employee_name;

SELECT employee_name, salary, lag(salary) OVER w AS lag, lead(salary, 1, 0) OVER w AS lead, lag(salary) IGNORE NULLS OVER w AS lag_nn FROM basic_pays WHERE department = 'Eng' WINDOW w AS (ORDER BY employee_name) ORDER BY employee_name;

SELECT employee_name, department, salary, sum(salary) OVER (PARTITION BY department ORDER BY salary) AS running, sum(salary) OVER (PARTITION BY department) AS total FROM basic_pays ORDER BY department, salary, employee_name;

SELECT employee_name, salary, avg(salary) OVER (ORDER BY salary, employee_name ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS moving_avg FROM basic_pays WHERE salary IS NOT NULL ORDER BY salary, employee_name;

SELECT employee_name, salary, count(*) OVER (ORDER BY salary RANGE BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) AS near FROM basic_pays ORDER BY salary, employee_name;

SELECT employee_name, salary, first_value(salary) OVER w AS first, last_value(salary) OVER w AS last, nth_value(salary, 2) OVER w AS second FROM basic_pays WHERE department = 'Sales' WINDOW w AS (ORDER BY salary, employee_name ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY salary, employee_name;

SELECT department, salary, max(salary) OVER (PARTITION BY department ORDER BY salary ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS max_after FROM basic_pays ORDER BY department, salary;

SELECT department, sum(salary) OVER (PARTITION BY department ORDER BY salary) FROM basic_pays WHERE department = 'Ops';

SELECT lag(salary) OVER (PARTITION BY department ORDER BY salary) FROM basic_pays WHERE department = 'Ops';

SELECT employee_name, salary - lag(salary, 1, 0) OVER (ORDER BY salary, employee_name) AS delta FROM basic_pays WHERE department = 'Sales' ORDER BY salary, employee_name;

SELECT department, sum(salary) AS total, rank() OVER (ORDER BY sum(salary) DESC) AS rank FROM basic_pays GROUP BY department ORDER BY rank;

SELECT department, count(*), sum(count(*)) OVER () AS all_rows FROM basic_pays GROUP BY department ORDER BY department;

SELECT row_number() FROM basic_pays;

SELECT rank() OVER (PARTITION BY department) FROM basic_pays;

SELECT sum(salary) OVER (ORDER BY employee_name RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM basic_pays;

SELECT rank() OVER v FROM basic_pays WINDOW w AS (ORDER BY salary);

SELECT * FROM basic_pays WHERE rank() OVER (ORDER BY salary) = 1;
