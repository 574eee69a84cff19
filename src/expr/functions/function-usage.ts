/**
 * What DESCRIBE FUNCTION prints: each function's usage (Spark's `ExpressionDescription`
 * wording) and, for DESCRIBE FUNCTION EXTENDED, an example. Keyed by the registered name;
 * aliases share their function's entry.
 */
export interface FunctionUsage {
  readonly usage: string;
  /** `SELECT …;` and its answer. */
  readonly example?: readonly [string, string];
  readonly since?: string;
}

const U = (usage: string, example?: [string, string], since?: string): FunctionUsage => ({ usage, ...(example ? { example } : {}), ...(since ? { since } : {}) });

export const FUNCTION_USAGE: Readonly<Record<string, FunctionUsage>> = {
  // strings
  lower: U("lower(str) - Returns `str` with all characters changed to lowercase.", ["SELECT lower('SparkSql');", "sparksql"], "1.0.1"),
  upper: U("upper(str) - Returns `str` with all characters changed to uppercase.", ["SELECT upper('SparkSql');", "SPARKSQL"], "1.0.1"),
  length: U("length(expr) - Returns the character length of string data or number of bytes of binary data.", ["SELECT length('Spark SQL ');", "10"], "1.5.0"),
  substring: U("substring(str, pos[, len]) - Returns the substring of `str` that starts at `pos` and is of length `len`, or the slice of byte array that starts at `pos` and is of length `len`.\n\nsubstring(str FROM pos[ FOR len]]) - Returns the substring of `str` that starts at `pos` and is of length `len`, or the slice of byte array that starts at `pos` and is of length `len`.", ["SELECT substring('Spark SQL', 5, 1);", "k"], "1.5.0"),
  trim: U("trim(str) - Removes the leading and trailing space characters from `str`.\n\ntrim(BOTH FROM str) - Removes the leading and trailing space characters from `str`.\n\ntrim(LEADING FROM str) - Removes the leading space characters from `str`.\n\ntrim(TRAILING FROM str) - Removes the trailing space characters from `str`.\n\ntrim(trimStr FROM str) - Remove the leading and trailing `trimStr` characters from `str`.", ["SELECT trim('    SparkSQL   ');", "SparkSQL"], "1.5.0"),
  btrim: U("btrim(str) - Removes the leading and trailing space characters from `str`.\n\nbtrim(str, trimStr) - Remove the leading and trailing `trimStr` characters from `str`.", ["SELECT btrim('    SparkSQL   ');", "SparkSQL"], "3.2.0"),
  split_part: U("split_part(str, delimiter, partNum) - Splits `str` by delimiter and return requested part of the split (1-based). If any input is null, returns null. if `partNum` is out of range of split parts, returns empty string. If `partNum` is 0, throws an error. If `partNum` is negative, the parts are counted backward from the end of the string. If the `delimiter` is an empty string, the `str` is not split.", ["SELECT split_part('11.12.13', '.', 3);", "13"], "3.3.0"),
  left: U("left(str, len) - Returns the leftmost `len`(`len` can be string type) characters from the string `str`,if `len` is less or equal than 0 the result is an empty string.", ["SELECT left('Spark SQL', 3);", "Spa"], "2.3.0"),
  right: U("right(str, len) - Returns the rightmost `len`(`len` can be string type) characters from the string `str`,if `len` is less or equal than 0 the result is an empty string.", ["SELECT right('Spark SQL', 3);", "SQL"], "2.3.0"),
  overlay: U("overlay(input, replace, pos[, len]) - Replace `input` with `replace` that starts at `pos` and is of length `len`.", ["SELECT overlay('Spark SQL' PLACING '_' FROM 6);", "Spark_SQL"], "3.0.0"),
  translate: U("translate(input, from, to) - Translates the `input` string by replacing the characters present in the `from` string with the corresponding characters in the `to` string.", ["SELECT translate('AaBbCc', 'abc', '123');", "A1B2C3"], "1.5.0"),
  elt: U("elt(n, input1, input2, ...) - Returns the `n`-th input, e.g., returns `input2` when `n` is 2. The function returns NULL if the index exceeds the length of the array and `spark.sql.ansi.enabled` is set to false.", ["SELECT elt(1, 'scala', 'java');", "scala"], "2.0.0"),
  find_in_set: U("find_in_set(str, str_array) - Returns the index (1-based) of the given string (`str`) in the comma-delimited list (`str_array`). Returns 0, if the string was not found or if the given string (`str`) contains a comma.", ["SELECT find_in_set('ab','abc,b,ab,c,def');", "3"], "1.5.0"),
  levenshtein: U("levenshtein(str1, str2[, threshold]) - Returns the Levenshtein distance between the two given strings. If threshold is set and distance more than it, return -1.", ["SELECT levenshtein('kitten', 'sitting');", "3"], "1.5.0"),
  soundex: U("soundex(str) - Returns Soundex code of the string.", ["SELECT soundex('Miller');", "M460"], "1.5.0"),
  luhn_check: U("luhn_check(str ) - Checks that a string of digits is valid according to the Luhn algorithm. This checksum function is widely applied on credit card numbers and government identification numbers to distinguish valid numbers from mistyped, incorrect numbers.", ["SELECT luhn_check('8112189876');", "true"], "3.5.0"),
  format_string: U("format_string(strfmt, obj, ...) - Returns a formatted string from printf-style format strings.", ["SELECT format_string(\"Hello World %d %s\", 100, \"days\");", "Hello World 100 days"], "1.5.0"),
  mask: U("mask(input[, upperChar, lowerChar, digitChar, otherChar]) - masks the given string value. The function replaces characters with 'X' or 'x', and numbers with 'n'. This can be useful for creating copies of tables with sensitive information removed.", ["SELECT mask('abcd-EFGH-8765-4321');", "xxxx-XXXX-nnnn-nnnn"], "3.4.0"),
  sentences: U("sentences(str[, lang, country]) - Splits `str` into an array of array of words.", ["SELECT sentences('Hi there! Good morning.');", "[[\"Hi\",\"there\"],[\"Good\",\"morning\"]]"], "2.0.0"),
  uuid: U("uuid() - Returns an universally unique identifier (UUID) string. The value is returned as a canonical UUID 36-character string.", undefined, "2.3.0"),
  // misc
  typeof: U("typeof(expr) - Return DDL-formatted type string for the data type of the input.", ["SELECT typeof(1);", "int"], "3.0.0"),
  equal_null: U("equal_null(expr1, expr2) - Returns same result as the EQUAL(=) operator for non-null operands, but returns true if both are null, false if one of the them is null.", ["SELECT equal_null(NULL, NULL);", "true"], "3.4.0"),
  nvl2: U("nvl2(expr1, expr2, expr3) - Returns `expr2` if `expr1` is not null, or `expr3` otherwise.", ["SELECT nvl2(NULL, 2, 1);", "1"], "2.0.0"),
  nullif: U("nullif(expr1, expr2) - Returns null if `expr1` equals to `expr2`, or `expr1` otherwise.", ["SELECT nullif(2, 2);", "NULL"], "2.0.0"),
  coalesce: U("coalesce(expr1, expr2, ...) - Returns the first non-null argument if exists. Otherwise, null.", ["SELECT coalesce(NULL, 1, NULL);", "1"], "1.0.0"),
  greatest: U("greatest(expr, ...) - Returns the greatest value of all parameters, skipping null values.", ["SELECT greatest(10, 9, 2, 4, 3);", "10"], "1.5.0"),
  least: U("least(expr, ...) - Returns the least value of all parameters, skipping null values.", ["SELECT least(10, 9, 2, 4, 3);", "2"], "1.5.0"),
  try_add: U("expr1 try_add expr2 - Returns the sum of `expr1`and `expr2` and the result is null on overflow. The acceptable input types are the same with the `+` operator.", ["SELECT try_add(1, 2);", "3"], "3.2.0"),
  try_subtract: U("expr1 try_subtract expr2 - Returns `expr1`-`expr2` and the result is null on overflow. The acceptable input types are the same with the `-` operator.", ["SELECT try_subtract(2, 1);", "1"], "3.3.0"),
  try_multiply: U("expr1 try_multiply expr2 - Returns `expr1`*`expr2` and the result is null on overflow. The acceptable input types are the same with the `*` operator.", ["SELECT try_multiply(2, 3);", "6"], "3.3.0"),
  try_divide: U("try_divide(dividend, divisor) - Returns `dividend`/`divisor`. It always performs floating point division. Its result is always null if `expr2` is 0. `dividend` must be a numeric or an interval. `divisor` must be a numeric.", ["SELECT try_divide(3, 2);", "1.5"], "3.2.0"),
  hash: U("hash(expr1, expr2, ...) - Returns a hash value of the arguments.", ["SELECT hash('Spark', array(123), 2);", "-1321691492"], "2.0.0"),
  xxhash64: U("xxhash64(expr1, expr2, ...) - Returns a 64-bit hash value of the arguments. Hash seed is 42.", ["SELECT xxhash64('Spark', array(123), 2);", "5602566077635097486"], "3.0.0"),
  md5: U("md5(expr) - Returns an MD5 128-bit checksum as a hex string of `expr`.", ["SELECT md5('Spark');", "8cde774d6f7333752ed72cacddb05126"], "1.5.0"),
  sha1: U("sha1(expr) - Returns a sha1 hash value as a hex string of the `expr`.", ["SELECT sha1('Spark');", "85f5955f4b27a9a4c2aab6ffe5d7189fc298b92c"], "1.5.0"),
  sha2: U("sha2(expr, bitLength) - Returns a checksum of SHA-2 family as a hex string of `expr`. SHA-224, SHA-256, SHA-384, and SHA-512 are supported. Bit length of 0 is equivalent to 256.", ["SELECT sha2('Spark', 256);", "529bc3b07127ecb7e53a4dcf1991d9152c24537d919178022b2c42657f79a26b"], "1.5.0"),
  crc32: U("crc32(expr) - Returns a cyclic redundancy check value of the `expr` as a bigint.", ["SELECT crc32('Spark');", "1557323817"], "1.5.0"),
  // binary
  hex: U("hex(expr) - Converts `expr` to hexadecimal.", ["SELECT hex(17);", "11"], "1.5.0"),
  unhex: U("unhex(expr) - Converts hexadecimal `expr` to binary.", ["SELECT decode(unhex('537061726B2053514C'), 'UTF-8');", "Spark SQL"], "1.5.0"),
  base64: U("base64(bin) - Converts the argument from a binary `bin` to a base 64 string.", ["SELECT base64('Spark SQL');", "U3BhcmsgU1FM"], "1.5.0"),
  unbase64: U("unbase64(str) - Converts the argument from a base 64 string `str` to a binary.", ["SELECT unbase64('U3BhcmsgU1FM');", "Spark SQL"], "1.5.0"),
  encode: U("encode(str, charset) - Encodes the first argument using the second argument character set.", ["SELECT encode('abc', 'utf-8');", "abc"], "1.5.0"),
  decode: U("decode(bin, charset) - Decodes the first argument using the second argument character set.", ["SELECT decode(encode('abc', 'utf-8'), 'utf-8');", "abc"], "1.5.0"),
  to_binary: U("to_binary(str[, fmt]) - Converts the input `str` to a binary value based on the supplied `fmt`. `fmt` can be a case-insensitive string literal of \"hex\", \"utf-8\", \"utf8\", or \"base64\". By default, the binary format for conversion is \"hex\" if `fmt` is omitted. The function returns NULL if at least one of the input parameters is NULL.", ["SELECT to_binary('abc', 'utf-8');", "abc"], "3.3.0"),
  // aggregates
  count: U("count(*) - Returns the total number of retrieved rows, including rows containing null.\n\ncount(expr[, expr...]) - Returns the number of rows for which the supplied expression(s) are all non-null.\n\ncount(DISTINCT expr[, expr...]) - Returns the number of rows for which the supplied expression(s) are unique and non-null.", ["SELECT count(*) FROM VALUES (NULL), (5), (5), (20) AS tab(col);", "4"], "1.0.0"),
  sum: U("sum(expr) - Returns the sum calculated from values of a group.", ["SELECT sum(col) FROM VALUES (5), (10), (15) AS tab(col);", "30"], "1.0.0"),
  avg: U("avg(expr) - Returns the mean calculated from values of a group.", ["SELECT avg(col) FROM VALUES (1), (2), (3) AS tab(col);", "2.0"], "1.0.0"),
  bool_and: U("bool_and(expr) - Returns true if all values of `expr` are true.", ["SELECT bool_and(col) FROM VALUES (true), (true), (true) AS tab(col);", "true"], "3.0.0"),
  bool_or: U("bool_or(expr) - Returns true if at least one value of `expr` is true.", ["SELECT bool_or(col) FROM VALUES (true), (false), (false) AS tab(col);", "true"], "3.0.0"),
  count_if: U("count_if(expr) - Returns the number of `TRUE` values for the expression.", ["SELECT count_if(col % 2 = 0) FROM VALUES (NULL), (0), (1), (2), (3) AS tab(col);", "2"], "3.0.0"),
  collect_list: U("collect_list(expr) - Collects and returns a list of non-unique elements.", ["SELECT collect_list(col) FROM VALUES (1), (2), (1) AS tab(col);", "[1,2,1]"], "2.0.0"),
  collect_set: U("collect_set(expr) - Collects and returns a set of unique elements.", ["SELECT collect_set(col) FROM VALUES (1), (2), (1) AS tab(col);", "[1,2]"], "2.0.0"),
  mode: U("mode(col) - Returns the most frequent value for the values within `col`. NULL values are ignored. If all the values are NULL, or there are 0 rows, returns NULL.", ["SELECT mode(col) FROM VALUES (0), (10), (10) AS tab(col);", "10"], "3.4.0"),
  max_by: U("max_by(x, y) - Returns the value of `x` associated with the maximum value of `y`.", ["SELECT max_by(x, y) FROM VALUES ('a', 10), ('b', 50), ('c', 20) AS tab(x, y);", "b"], "3.0.0"),
  min_by: U("min_by(x, y) - Returns the value of `x` associated with the minimum value of `y`.", ["SELECT min_by(x, y) FROM VALUES ('a', 10), ('b', 50), ('c', 20) AS tab(x, y);", "a"], "3.0.0"),
  stddev_samp: U("stddev_samp(expr) - Returns the sample standard deviation calculated from values of a group.", ["SELECT stddev_samp(col) FROM VALUES (1), (2), (3) AS tab(col);", "1.0"], "1.6.0"),
  stddev_pop: U("stddev_pop(expr) - Returns the population standard deviation calculated from values of a group.", ["SELECT stddev_pop(col) FROM VALUES (1), (2), (3) AS tab(col);", "0.816496580927726"], "1.6.0"),
  var_samp: U("var_samp(expr) - Returns the sample variance calculated from values of a group.", ["SELECT var_samp(col) FROM VALUES (1), (2), (3) AS tab(col);", "1.0"], "1.6.0"),
  var_pop: U("var_pop(expr) - Returns the population variance calculated from values of a group.", ["SELECT var_pop(col) FROM VALUES (1), (2), (3) AS tab(col);", "0.6666666666666666"], "1.6.0"),
  skewness: U("skewness(expr) - Returns the skewness value calculated from values of a group.", ["SELECT skewness(col) FROM VALUES (-10), (-20), (100), (1000) AS tab(col);", "1.1135657469022011"], "1.6.0"),
  kurtosis: U("kurtosis(expr) - Returns the kurtosis value calculated from values of a group.", ["SELECT kurtosis(col) FROM VALUES (-10), (-20), (100), (1000) AS tab(col);", "-0.7014368047529627"], "1.6.0"),
  corr: U("corr(expr1, expr2) - Returns Pearson coefficient of correlation between a set of number pairs.", ["SELECT corr(c1, c2) FROM VALUES (3, 2), (3, 3), (6, 4) as tab(c1, c2);", "0.8660254037844387"], "1.6.0"),
  covar_pop: U("covar_pop(expr1, expr2) - Returns the population covariance of a set of number pairs.", ["SELECT covar_pop(c1, c2) FROM VALUES (1,1), (2,2), (3,3) AS tab(c1, c2);", "0.6666666666666666"], "2.0.0"),
  covar_samp: U("covar_samp(expr1, expr2) - Returns the sample covariance of a set of number pairs.", ["SELECT covar_samp(c1, c2) FROM VALUES (1,1), (2,2), (3,3) AS tab(c1, c2);", "1.0"], "2.0.0"),
  percentile: U("percentile(col, percentage [, frequency]) - Returns the exact percentile value of numeric column `col` at the given percentage. The value of percentage must be between 0.0 and 1.0. The value of frequency should be positive integral\n\npercentile(col, array(percentage1 [, percentage2]...) [, frequency]) - Returns the exact percentile value array of numeric column `col` at the given percentage(s). Each value of the percentage array must be between 0.0 and 1.0. The value of frequency should be positive integral", ["SELECT percentile(col, 0.3) FROM VALUES (0), (10) AS tab(col);", "3.0"], "2.1.0"),
  median: U("median(col) - Returns the median of numeric or ANSI interval column `col`.", ["SELECT median(col) FROM VALUES (0), (10) AS tab(col);", "5.0"], "3.4.0"),
  percentile_approx: U("percentile_approx(col, percentage [, accuracy]) - Returns the approximate `percentile` of the numeric or ansi interval column `col` which is the smallest value in the ordered `col` values (sorted from least to greatest) such that no more than `percentage` of `col` values is less than the value or equal to that value. The value of percentage must be between 0.0 and 1.0. The `accuracy` parameter (default: 10000) is a positive numeric literal which controls approximation accuracy at the cost of memory. Higher value of `accuracy` yields better accuracy, `1.0/accuracy` is the relative error of the approximation. When `percentage` is an array, each value of the percentage array must be between 0.0 and 1.0. In this case, returns the approximate percentile array of column `col` at the given percentage array.", ["SELECT percentile_approx(col, array(0.5, 0.4, 0.1), 100) FROM VALUES (0), (1), (2), (10) AS tab(col);", "[1,1,0]"], "2.1.0"),
  histogram_numeric: U("histogram_numeric(expr, nb) - Computes a histogram on numeric 'expr' using nb bins. The return value is an array of (x,y) pairs representing the centers of the histogram's bins. As the value of 'nb' is increased, the histogram approximation gets finer-grained, but may yield artifacts around outliers. In practice, 20-40 histogram bins appear to work well, with more bins being required for skewed or smaller datasets. Note that this function creates a histogram with non-uniform bin widths. It offers no guarantees in terms of the mean-squared-error of the histogram, but in practice is comparable to the histograms produced by the R/S-Plus statistical computing packages. Note: the output type of the 'x' field in the return value is propagated from the input value consumed in the aggregate function.", undefined, "3.3.0"),
  regr_count: U("regr_count(y, x) - Returns the number of non-null number pairs in a group, where `y` is the dependent variable and `x` is the independent variable.", ["SELECT regr_count(y, x) FROM VALUES (1, 2), (2, 2), (2, 3), (2, 4) AS tab(y, x);", "4"], "3.3.0"),
  regr_slope: U("regr_slope(y, x) - Returns the slope of the linear regression line for non-null pairs in a group, where `y` is the dependent variable and `x` is the independent variable.", ["SELECT regr_slope(y, x) FROM VALUES (1,1), (2,2), (3,3) AS tab(y, x);", "1.0"], "3.4.0"),
  regr_intercept: U("regr_intercept(y, x) - Returns the intercept of the univariate linear regression line for non-null pairs in a group, where `y` is the dependent variable and `x` is the independent variable.", ["SELECT regr_intercept(y, x) FROM VALUES (1,1), (2,2), (3,3) AS tab(y, x);", "0.0"], "3.4.0"),
  regr_r2: U("regr_r2(y, x) - Returns the coefficient of determination for non-null pairs in a group, where `y` is the dependent variable and `x` is the independent variable.", ["SELECT regr_r2(y, x) FROM VALUES (1, 2), (2, 2), (2, 3), (2, 4) AS tab(y, x);", "0.2727272727272727"], "3.3.0"),
};
