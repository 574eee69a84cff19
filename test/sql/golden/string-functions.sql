-- String functions added for Spark's SQL surface; answers as Spark 3.5's documentation gives them.
SELECT split_part('11.12.13', '.', 3) AS a, split_part('11.12.13', '.', -1) AS b, split_part('11.12.13', '.', 4) AS c, split_part('11.12.13', '', 1) AS d;

SELECT split_part('11.12.13', '.', 0);

SELECT btrim('    SparkSQL   ') AS a, btrim('SSparkSQLS', 'SL') AS b, btrim(NULL) AS c;

SELECT left('Spark SQL', 3) AS a, right('Spark SQL', 3) AS b, left('Spark', -1) AS c, right('Spark', 0) AS d, left(NULL, 2) AS e;

SELECT overlay('Spark SQL', '_', 6) AS a, overlay('Spark SQL', 'CORE', 7) AS b, overlay('Spark SQL', 'ANSI ', 7, 0) AS c, overlay('Spark SQL', 'tructured', 2, 4) AS d;

SELECT translate('AaBbCc', 'abc', '123') AS a, translate('AaBbCc', 'abc', '1') AS b;

SELECT elt(1, 'scala', 'java') AS a, elt(2, 'a', 1) AS b, elt(3, 'a', 'b') AS c, elt(NULL, 'a') AS d;

SELECT find_in_set('ab', 'abc,b,ab,c,def') AS a, find_in_set('x', 'a,b') AS b, find_in_set('a,b', 'a,b') AS c;

SELECT levenshtein('kitten', 'sitting') AS a, levenshtein('kitten', 'sitting', 2) AS b, levenshtein('', 'abc') AS c, levenshtein(NULL, 'a') AS d;

SELECT soundex('Miller') AS a, soundex('Robert') AS b, soundex('Tymczak') AS c, soundex('1abc') AS d, soundex('') AS e;

SELECT luhn_check('8112189876') AS a, luhn_check('79927398713') AS b, luhn_check('79927398714') AS c, luhn_check('') AS d, luhn_check('7992a') AS e;

SELECT format_string('Hello World %d %s', 100, 'days') AS a, printf('%5.2f|%-4s|%05d|%x|%,d', 3.14159, 'ab', 42, 255, 1234567) AS b;

SELECT format_string('%s and %s', 'x', NULL) AS a, format_string(NULL, 1) AS b, format_string('%2$s %1$s', 'a', 'b') AS c;

SELECT mask('abcd-EFGH-8765-4321') AS a, mask('abcd-EFGH-8765-4321', 'Q') AS b, mask('AbCD123-@$#', 'Q', 'q', 'd', 'o') AS c, mask('AbCD123-@$#', NULL, NULL, NULL, NULL) AS d;

SELECT sentences('Hi there! Good morning.') AS a, sentences('Hi there! Good morning.', 'en', 'US') AS b;

SELECT length(uuid()) AS len, uuid() = uuid() AS same;

SELECT substring('Spark SQL' FROM 5 FOR 1) AS a, substring('Spark SQL' FROM 5) AS b, substr('Spark SQL' FROM -3 FOR 2) AS c;

SELECT trim(BOTH 'SL' FROM 'SSparkSQLS') AS a, trim(LEADING 'SL' FROM 'SSparkSQLS') AS b, trim(TRAILING 'SL' FROM 'SSparkSQLS') AS c, trim('SL' FROM 'SSparkSQLS') AS d, trim(BOTH FROM '  x  ') AS e;

SELECT position('bar' IN 'foobarbar') AS a, position('bar', 'foobarbar', 5) AS b, locate('bar', 'foobarbar') AS c;

SELECT levenshtein('a');

SELECT split_part('a', ',');
-- The SQL-standard form overlay(input PLACING replace FROM pos [FOR len]) is the same call.
SELECT overlay('Spark SQL' PLACING '_' FROM 6) AS a, overlay('Spark SQL' PLACING 'CORE' FROM 7) AS b, overlay('Spark SQL' PLACING 'ANSI ' FROM 7 FOR 0) AS c, overlay('Spark SQL' PLACING 'tructured' FROM 2 FOR 4) AS d;
SELECT overlay('Spark SQL' PLACING '_' FROM 6);
