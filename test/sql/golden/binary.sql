-- BINARY: literals, hex/unhex, base64, encode/decode, to_binary. Golden output prints a
-- top-level binary as its bytes read as UTF-8, as Spark's HiveResult does.
SELECT X'4142' AS a, x'57' AS b, X'' AS c, typeof(X'4142') AS t;

SELECT hex(X'0AFF') AS a, hex(17) AS b, hex(-1) AS c, hex('Spark SQL') AS d, hex(CAST(NULL AS BINARY)) AS e;

SELECT unhex('537061726B2053514C') AS a, decode(unhex('537061726B2053514C'), 'UTF-8') AS b, hex(unhex('123')) AS c, unhex('GG') AS d;

SELECT base64('Spark SQL') AS a, base64(X'00FF') AS b, unbase64('U3BhcmsgU1FM') AS c, decode(unbase64('U3BhcmsgU1FM'), 'utf-8') AS d;

SELECT hex(encode('abc', 'utf-8')) AS a, hex(encode('ab', 'UTF-16BE')) AS b, hex(encode('ab', 'UTF-16LE')) AS c, hex(encode('ab', 'UTF-16')) AS d, hex(encode('é', 'ISO-8859-1')) AS e;

SELECT decode(encode('Spark', 'UTF-16'), 'UTF-16') AS a, decode(X'E9', 'ISO-8859-1') AS b, decode(X'616263', 'US-ASCII') AS c;

SELECT encode('abc', 'utf-9');

SELECT hex(to_binary('abc', 'utf-8')) AS a, hex(to_binary('414243')) AS b, hex(to_binary('QUJD', 'base64')) AS c, to_binary(NULL) AS d, try_to_binary('GG', 'hex') AS e;

SELECT to_binary('GG');

SELECT to_binary('abc', 'oct');

SELECT length(X'010203') AS a, X'4142' = X'4142' AS b, CAST('AB' AS BINARY) = X'4142' AS c, CAST(X'4142' AS STRING) AS d;

SELECT md5(X'537061726B') AS a, sha1(X'537061726B') AS b, crc32(X'537061726B') AS c;

SELECT X'XZ';
