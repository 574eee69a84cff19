-- String literal escapes as Spark's unescapeSQLString: \u and \U code points, octal, raw literals.
SELECT '\u00e9' AS a, length('\u00e9') AS n;

SELECT '\U0001F44D' AS a, length('\U0001F44D') AS n;

SELECT '\052' AS a, 'a\101b' AS b, "\u0041\t|" AS c;

SELECT r'a\nb' AS a, length(r'a\nb') AS n, R"x\'y" AS b;

SELECT 'a\nb' AS a, '\%\_' AS c, '\q' AS d;
