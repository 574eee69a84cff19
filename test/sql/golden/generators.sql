-- Generators (Spark's explode, posexplode, inline, json_tuple, stack and their _outer forms),
-- checked against Spark's sql-tests generators.sql.out and the functions' documented examples.
CREATE OR REPLACE TEMPORARY VIEW testData AS SELECT * FROM VALUES
(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2), (null, 1), (3, null), (null, null)
AS testData(a, b);

SELECT explode(array(a, b)) AS elem FROM testData;

SELECT explode(array(a, b)) AS elem, 'Spark' FROM testData;

SELECT explode(map(1, 'a', 2, 'b'));

SELECT explode(1);

SELECT explode(null);

SELECT explode(cast(null as array<int>));

SELECT explode_outer(cast(null as array<int>));

SELECT explode_outer(array(1, 2)) AS x, 'column';

SELECT posexplode(array(10, 20));

SELECT posexplode(map(1, 'a', 2, 'b'));

SELECT posexplode(cast(null as array<int>));

SELECT posexplode_outer(cast(null as array<int>));

SELECT posexplode(array(a, b)) AS elem FROM testData;

SELECT inline(array(struct(1, 'a'), struct(2, 'b')));

SELECT inline(array(struct(a, 'a'), struct(a, 'b'))) FROM testData;

SELECT inline(1);

SELECT inline_outer(cast(null as array<struct<x: int, y: string>>));

SELECT a, explode(array(a, b)) AS e FROM testData WHERE a = 1;

SELECT explode(array(1, 2)) + 1;

SELECT explode(explode(array(array(1, 2, 3))));

SELECT explode(array(1, 2)), explode(array(3, 4));

SELECT * FROM testData WHERE explode(array(a, b)) = 1;

SELECT json_tuple('{"a":1, "b":2}', 'a', 'b');

SELECT json_tuple('{"a":"x", "b":{"c":true}, "d":null}', 'a', 'b', 'd', 'e');

SELECT json_tuple('not json', 'a', 'b');

SELECT json_tuple(cast(null as string), 'a');

SELECT stack(2, 1, 2, 3);

SELECT stack(3, 'a', 1, 'b', 2, 'c', 3);

SELECT e, count(*) AS n FROM (SELECT explode(array(a, b)) AS e FROM testData) GROUP BY e ORDER BY e;

SELECT explode(split('hello big world', ' ')) AS word;

SELECT json_tuple('{"a": 1}');

SELECT json_tuple('{"a": 1}', 1);

SELECT stack(2, 1, 1.1, null, 2, null, 'b');

SELECT stack(2, explode(array(1, 2, 3)));

SELECT inline_outer(array(struct(a, 'a'), struct(a, 'b'))) FROM testData WHERE a IS NULL;

SELECT posexplode(array(a, b)) AS (elem, elem2) FROM testData WHERE a = 3;

SELECT explode(map(1, 'a', 2, 'b')) AS (k, v);

SELECT a, k, v FROM (SELECT a, explode(map('x', a, 'y', b)) AS (k, v) FROM testData WHERE a = 1) ORDER BY k;

CREATE OR REPLACE TEMPORARY VIEW people AS SELECT * FROM VALUES
(1, array('a', 'b'), map('k1', 10)), (2, cast(array() AS array<string>), map('k2', 20)), (3, null, null)
AS people(id, tags, props);

SELECT id, tag FROM people LATERAL VIEW explode(tags) t AS tag;

SELECT id, t.tag FROM people LATERAL VIEW OUTER explode(tags) t AS tag ORDER BY id, tag;

SELECT id, pos, tag FROM people LATERAL VIEW posexplode(tags) exploded pos, tag;

SELECT id, tag, k, v FROM people LATERAL VIEW explode(tags) t1 AS tag LATERAL VIEW explode(props) t2 AS k, v;

SELECT * FROM people LATERAL VIEW explode(tags) t;

SELECT id, c0, c1 FROM VALUES (1, '{"f1": "v1", "f2": 2}') AS j(id, doc) LATERAL VIEW json_tuple(doc, 'f1', 'f2') jt;

SELECT id, x FROM people LATERAL VIEW upper(id) t AS x;

SELECT id, a, b FROM people LATERAL VIEW explode(tags) t AS a, b;

SELECT json_tuple('{"big": 12345678901234567890, "f": 1.50, "e": 1e2, "t": true, "o": { "x" : [1, "a b"] }, "s": "q\\"uote"}', 'big', 'f', 'e', 't', 'o', 's');

SELECT explode(collect_list(a)) AS x FROM testData;

SELECT b, explode(collect_list(a)) AS x FROM testData WHERE a IS NOT NULL GROUP BY b ORDER BY b, x;

SELECT b, posexplode(array(min(a), max(a))) AS (p, v) FROM testData GROUP BY b HAVING count(*) > 2 ORDER BY b, p;

SELECT explode(array(1, 2)), explode(array(3, 4)), count(*);

SELECT count(*) AS n FROM (SELECT explode(cast(null AS array<int>)) AS x);

SELECT a FROM testData LATERAL VIEW explode(array(a, b)) t AS x WHERE x = 3 ORDER BY a;

SELECT explode(array(1, 2)) AS `a.b`;
