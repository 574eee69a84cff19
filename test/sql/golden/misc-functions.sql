-- typeof, equal_null, nvl2, nullif, try_ arithmetic, greatest/least and the hash functions.
SELECT typeof(1) AS a, typeof(1L) AS b, typeof(1.5E0) AS c, typeof('x') AS d, typeof(NULL) AS e, typeof(array(1)) AS f, typeof(named_struct('a', 1)) AS g, typeof(DATE '2020-01-01') AS h, typeof(true) AS i;

SELECT equal_null(3, 3) AS a, equal_null(1, '11') AS b, equal_null(true, NULL) AS c, equal_null(NULL, 'abc') AS d, equal_null(NULL, NULL) AS e;

SELECT nvl2(NULL, 2, 1) AS a, nvl2('x', 2, 1) AS b, nvl2(NULL, 'a', NULL) AS c;

SELECT nullif(2, 2) AS a, nullif(1, 2) AS b, nullif(NULL, 1) AS c, nullif(1, NULL) AS d, nullif('1', 1) AS e;

SELECT try_add(1, 2) AS a, try_add(2147483647, 1) AS b, try_add(9223372036854775807L, 1L) AS c, try_add(NULL, 1) AS d, try_add(1.5E0, 2) AS e;

SELECT try_subtract(2, 1) AS a, try_subtract(-2147483648, 1) AS b, try_multiply(2, 3) AS c, try_multiply(2147483647, 2) AS d, try_multiply(9223372036854775807L, 2) AS e;

SELECT try_divide(3, 2) AS a, try_divide(1, 0) AS b, try_divide(NULL, 2) AS c;

SELECT greatest(10, 9, 2, 4, 3) AS a, least(10, 9, 2, 4, 3) AS b, greatest(1, NULL, 3) AS c, least('b', 'a') AS d, greatest(NULL, NULL) AS e;

SELECT hash('Spark', array(123), 2) AS a, xxhash64('Spark', array(123), 2) AS b;

SELECT hash(1) AS a, hash(1L) AS b, hash(NULL) AS c, hash('') AS d, hash(true) AS e, hash(1.0E0) AS f, hash(0.0E0) = hash(-0.0E0) AS g;

SELECT xxhash64(1) AS a, xxhash64('') AS b, xxhash64(NULL) AS c, xxhash64('abcdefghijklmnopqrstuvwxyz0123456789') AS d;

SELECT md5('Spark') AS a, sha1('Spark') AS b, sha('Spark') AS c, crc32('Spark') AS d;

SELECT sha2('Spark', 256) AS a, sha2('Spark', 0) AS b, sha2('Spark', 224) AS c, sha2('Spark', 384) AS d, sha2('Spark', 512) AS e, sha2('Spark', 1) AS f;

SELECT date_add('2011-11-11', 1L);

SELECT date_add('2011-11-11', 1) AS a;

SELECT substring('abc');

SELECT upper('a', 'b');

SELECT no_such_function(1);

SELECT uper('a');

SELECT hash();

DESCRIBE FUNCTION nvl2;

DESCRIBE FUNCTION EXTENDED hash;

DESC FUNCTION std;

DESCRIBE FUNCTION no_such_function;

SHOW FUNCTIONS LIKE 'regr*|sha*';

SHOW FUNCTIONS 'try_*';

-- Generators and window functions are functions too (Spark lists and describes them).
SHOW FUNCTIONS LIKE 'explode*|posexplode*|row_number|lag|json_tuple';

DESCRIBE FUNCTION explode;

DESCRIBE FUNCTION rank;
