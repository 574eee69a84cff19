-- USING and NATURAL joins (the key once, first; FULL OUTER coalesces), semi, anti and cross joins.
CREATE TEMPORARY VIEW emp AS SELECT * FROM VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cat', NULL), (4, 'dan', 40) AS emp(id, name, dept);

CREATE TEMPORARY VIEW dept AS SELECT * FROM VALUES (10, 'sales'), (20, 'eng'), (30, 'ops') AS dept(dept, dname);

SELECT * FROM emp JOIN dept USING (dept);

SELECT * FROM emp INNER JOIN dept USING (dept) ORDER BY id;

SELECT * FROM emp LEFT JOIN dept USING (dept);

SELECT * FROM emp RIGHT OUTER JOIN dept USING (dept);

SELECT * FROM emp FULL OUTER JOIN dept USING (dept);

SELECT dept, emp.dept AS e, dept.dept AS d FROM emp JOIN dept USING (dept);

SELECT name FROM emp JOIN dept USING (dept) WHERE dept.dept > 10;

SELECT * FROM emp NATURAL JOIN dept;

SELECT * FROM emp NATURAL LEFT JOIN dept;

SELECT * FROM dept NATURAL FULL OUTER JOIN emp;

SELECT * FROM emp LEFT SEMI JOIN dept USING (dept);

SELECT * FROM emp LEFT SEMI JOIN dept ON emp.dept = dept.dept;

SELECT * FROM emp LEFT ANTI JOIN dept ON emp.dept = dept.dept;

SELECT * FROM emp SEMI JOIN dept ON emp.dept = dept.dept AND dname = 'eng';

SELECT count(*) AS n FROM emp CROSS JOIN dept;

SELECT count(*) AS n FROM emp JOIN dept;

SELECT e.name, d.dname FROM emp e JOIN dept d ON e.dept < d.dept AND d.dept = 30;

SELECT * FROM emp JOIN dept USING (nope);

SELECT * FROM emp JOIN dept USING (name);
