import { Lexer, createToken, type TokenType } from "chevrotain";

/**
 * Tokens of rivulet's SQL dialect (Spark SQL's, for what streaming jobs use). Syntax only:
 * what a token means is decided by the CST visitor in src/sql/.
 *
 * Keywords are case-insensitive and fall back to `Identifier` when a longer word matches
 * (`selected` is an identifier). Keywords in the `NonReserved` category may also be used
 * as identifiers anywhere (a column named `time`, `date`, `window` or `timestamp`), as Spark
 * allows. The others (SELECT, FROM, END, JOIN, WATERMARK, STREAM…) are names where no keyword
 * could stand: after a dot (`w.end`), after AS (`… AS end`) and, but for the few that start an
 * expression, as a column in an expression (`SELECT end FROM t`), as in Spark's default
 * grammar; as a table name or an alias without AS they must be backquoted.
 */

export const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED });
export const LineComment = createToken({ name: "LineComment", pattern: /--[^\n\r]*/, group: Lexer.SKIPPED });
export const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });

/** `/*` never closed: lexed whole so that the error can say so (no grammar rule accepts it). */
export const UnclosedComment = createToken({ name: "UnclosedComment", pattern: /\/\*[\s\S]*/, line_breaks: true });

export const Identifier = createToken({ name: "Identifier", pattern: /[A-Za-z_][A-Za-z0-9_]*/ });
/** `name with spaces`; a doubled backquote stands for one. */
export const QuotedIdentifier = createToken({ name: "QuotedIdentifier", pattern: /`(?:[^`]|``)*`/, line_breaks: true });

/** Keywords that may also be identifiers. */
export const NonReserved = createToken({ name: "NonReserved", pattern: Lexer.NA });

/**
 * Every keyword. In Spark's default (non-ANSI) grammar every keyword is an identifier after
 * a dot (`w.end`) and after AS (`count(*) AS from`), where nothing else could follow.
 */
export const AnyKeyword = createToken({ name: "AnyKeyword", pattern: Lexer.NA });

/** Keywords that may name a table after AS: all but Spark's `strictNonReserved` (join words). */
export const TableAliasKeyword = createToken({ name: "TableAliasKeyword", pattern: Lexer.NA });

/**
 * Reserved keywords that may still stand alone as a column in an expression (`SELECT end, from
 * FROM t`), as in Spark: all but those that begin an expression of their own (NOT, NULL, TRUE,
 * FALSE, CASE, CAST), follow CASE (WHEN) or begin a select list (DISTINCT, ALL).
 */
export const ColumnNameKeyword = createToken({ name: "ColumnNameKeyword", pattern: Lexer.NA });
const EXPRESSION_STARTERS = new Set(["NOT", "NULL", "TRUE", "FALSE", "CASE", "CAST", "TRY_CAST", "WHEN", "DISTINCT", "ALL", "BOTH", "LEADING", "TRAILING"]);

/** Spark's `strictNonReserved` keywords that rivulet has: never a table alias (`FROM a LEFT JOIN b`). */
const STRICT_NON_RESERVED = new Set([
  "ANTI", "CROSS", "EXCEPT", "FULL", "INNER", "INTERSECT", "JOIN", "LEFT", "MINUS", "NATURAL", "ON", "RIGHT", "SEMI", "UNION", "USING",
]);

const keywords: TokenType[] = [];
/**
 * `soft` keywords (window frames, grouping sets) are names only after a dot or AS: as
 * non-reserved words they made chevrotain's self-analysis several times slower.
 */
function keyword(word: string, reserved = true, soft = false): TokenType {
  const token = createToken({
    name: word,
    label: `'${word}'`,
    pattern: new RegExp(word, "i"),
    longer_alt: Identifier,
    categories: [
      AnyKeyword,
      ...(STRICT_NON_RESERVED.has(word) ? [] : [TableAliasKeyword]),
      ...(soft ? [] : reserved ? (EXPRESSION_STARTERS.has(word) ? [] : [ColumnNameKeyword]) : [NonReserved]),
    ],
  });
  keywords.push(token);
  return token;
}

// Reserved: query structure and expression syntax.
export const Select = keyword("SELECT");
export const From = keyword("FROM");
export const Where = keyword("WHERE");
export const Group = keyword("GROUP");
export const By = keyword("BY");
export const Having = keyword("HAVING");
export const Order = keyword("ORDER");
export const Limit = keyword("LIMIT");
export const Union = keyword("UNION");
export const All = keyword("ALL");
export const Distinct = keyword("DISTINCT");
export const As = keyword("AS");
export const Join = keyword("JOIN");
export const On = keyword("ON");
export const Using = keyword("USING");
export const Inner = keyword("INNER");
export const Left = keyword("LEFT");
export const Right = keyword("RIGHT");
export const Full = keyword("FULL");
export const Outer = keyword("OUTER");
export const Cross = keyword("CROSS");
export const Semi = keyword("SEMI");
export const Anti = keyword("ANTI");
export const With = keyword("WITH");
export const And = keyword("AND");
export const Or = keyword("OR");
export const Not = keyword("NOT");
export const In = keyword("IN");
export const Is = keyword("IS");
export const Null = keyword("NULL");
export const True = keyword("TRUE");
export const False = keyword("FALSE");
export const Case = keyword("CASE");
export const When = keyword("WHEN");
export const Then = keyword("THEN");
export const Else = keyword("ELSE");
export const End = keyword("END");
export const Between = keyword("BETWEEN");
export const Like = keyword("LIKE");
export const RLike = keyword("RLIKE");
export const Cast = keyword("CAST");
export const Watermark = keyword("WATERMARK");
export const Stream = keyword("STREAM");
export const Create = keyword("CREATE");
export const Insert = keyword("INSERT");
export const Into = keyword("INTO");
// Relations: inline tables, set operations, natural joins.
export const Values = keyword("VALUES");
export const Intersect = keyword("INTERSECT");
export const Except = keyword("EXCEPT");
export const MinusKw = keyword("MINUS");
export const Natural = keyword("NATURAL");
// Special call forms and predicates (function-call syntax of Spark's grammar).
export const TryCast = keyword("TRY_CAST");
export const ILike = keyword("ILIKE");
export const Regexp = keyword("REGEXP");
export const Both = keyword("BOTH");
export const Leading = keyword("LEADING");
export const Trailing = keyword("TRAILING");
export const For = keyword("FOR");
export const FunctionKw = keyword("FUNCTION");

// Non-reserved: usable as names.
export const Timestamp = keyword("TIMESTAMP", false);
export const DateKw = keyword("DATE", false);
export const Interval = keyword("INTERVAL", false);
export const Delay = keyword("DELAY", false);
export const Of = keyword("OF", false);
export const Asc = keyword("ASC", false);
export const Desc = keyword("DESC", false);
export const Nulls = keyword("NULLS", false);
export const First = keyword("FIRST", false);
export const Last = keyword("LAST", false);
export const Replace = keyword("REPLACE", false);
export const Temporary = keyword("TEMPORARY", false);
export const Temp = keyword("TEMP", false);
export const Global = keyword("GLOBAL", false);
export const Placing = keyword("PLACING", false);
export const View = keyword("VIEW", false);
export const Lateral = keyword("LATERAL", false);
export const Table = keyword("TABLE", false);
export const Options = keyword("OPTIONS", false);
export const Location = keyword("LOCATION", false);
export const Overwrite = keyword("OVERWRITE", false);
export const SetKw = keyword("SET", false);
export const Explain = keyword("EXPLAIN", false);
export const Extended = keyword("EXTENDED", false);
export const Show = keyword("SHOW", false);
export const Tables = keyword("TABLES", false);
export const Columns = keyword("COLUMNS", false);
export const Describe = keyword("DESCRIBE", false);
export const If = keyword("IF", false);
export const Exists = keyword("EXISTS", false);
export const Drop = keyword("DROP", false);
export const Div = keyword("DIV", false);
export const Any = keyword("ANY", false);
export const Some = keyword("SOME", false);
export const Unknown = keyword("UNKNOWN", false);
export const Functions = keyword("FUNCTIONS", false);
// Window functions, grouping sets, LIMIT/OFFSET (non-reserved in Spark's default grammar; soft here but for
// WINDOW, PARTITION and OFFSET, which name columns often: `window`, a Kafka record's `partition` and `offset`).
export const Over = keyword("OVER", false, true);
export const Partition = keyword("PARTITION", false);
export const Rows = keyword("ROWS", false, true);
export const Range = keyword("RANGE", false, true);
export const Unbounded = keyword("UNBOUNDED", false, true);
export const Preceding = keyword("PRECEDING", false, true);
export const Following = keyword("FOLLOWING", false, true);
export const Current = keyword("CURRENT", false, true);
export const Row = keyword("ROW", false, true);
export const WindowKw = keyword("WINDOW", false);
export const Ignore = keyword("IGNORE", false, true);
export const Respect = keyword("RESPECT", false, true);
export const Grouping = keyword("GROUPING", false, true);
export const Sets = keyword("SETS", false, true);
export const Rollup = keyword("ROLLUP", false, true);
export const Cube = keyword("CUBE", false, true);
export const Offset = keyword("OFFSET", false);

/**
 * `2012_s`, `1a`: a name that starts with digits, as Spark's lexer reads it (its IDENTIFIER is
 * `(LETTER | DIGIT | '_')+` and the longest match wins; a tie, as `1L` or `1e5`, is the number).
 */
const NUMBER_PREFIXES = [/^(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?(?:[bB][dD]|[dDfF])?/, /^\d+[eE][+-]?\d+(?:[bB][dD]|[dDfF])?/, /^\d+(?:[bB][dD]|[dDfFlLsSyY])?/];
export const DigitIdentifier = createToken({
  name: "DigitIdentifier",
  categories: [Identifier],
  start_chars_hint: [..."0123456789"],
  line_breaks: false,
  pattern: {
    exec(text: string, offset: number): RegExpExecArray | null {
      const word = /^\d[A-Za-z0-9_]*/.exec(text.slice(offset, offset + 256));
      if (word === null || !/[A-Za-z_]/.test(word[0])) return null;
      // The number may run past the word: `1e-5` is a number though its word is `1e` (the longest match wins, as in Spark's lexer).
      const rest = text.slice(offset, offset + word[0].length + 64);
      const number = Math.max(...NUMBER_PREFIXES.map((r) => r.exec(rest)?.[0].length ?? 0));
      return word[0].length > number ? word : null;
    },
  },
});

// Literals. A decimal must come before the integer it starts with.
// Suffixes as Spark's lexer: D (double), F (float), BD (decimal); L (bigint), S (smallint), Y (tinyint).
export const DecimalLiteral = createToken({ name: "DecimalLiteral", pattern: /(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?(?:[bB][dD]|[dDfF])?|\d+[eE][+-]?\d+(?:[bB][dD]|[dDfF])?|\d+(?:[bB][dD]|[dDfF])/ });
export const BigintLiteral = createToken({ name: "BigintLiteral", pattern: /\d+[lLsSyY]/ });
export const IntegerLiteral = createToken({ name: "IntegerLiteral", pattern: /\d+/ });
/** X'4142' (hex digits checked by the visitor, so a bad digit is reported as Spark does). */
export const BinaryLiteral = createToken({ name: "BinaryLiteral", pattern: /[xX]'[^']*'/ });
/** 'text' or "text": '' (or "") and backslash escapes as in Spark; r'raw' / R"raw" without escapes. */
export const StringLiteral = createToken({ name: "StringLiteral", pattern: /[rR]'[^']*'|[rR]"[^"]*"|'(?:[^'\\]|\\[\s\S]|'')*'|"(?:[^"\\]|\\[\s\S]|"")*"/, line_breaks: true });

// Operators and punctuation. Longer operators first.
export const NullSafeEq = createToken({ name: "NullSafeEq", pattern: "<=>", label: "'<=>'" });
export const NotEq = createToken({ name: "NotEq", pattern: /<>|!=/, label: "'<>'" });
export const LtEq = createToken({ name: "LtEq", pattern: "<=", label: "'<='" });
export const GtEq = createToken({ name: "GtEq", pattern: ">=", label: "'>='" });
export const Eq = createToken({ name: "Eq", pattern: /==?/, label: "'='" });
export const Lt = createToken({ name: "Lt", pattern: "<", label: "'<'" });
export const Gt = createToken({ name: "Gt", pattern: ">", label: "'>'" });
export const Concat = createToken({ name: "Concat", pattern: "||", label: "'||'" });
/** Spark's bitwise operators (after `||`, which starts with `|`). */
export const Ampersand = createToken({ name: "Ampersand", pattern: "&", label: "'&'" });
export const Pipe = createToken({ name: "Pipe", pattern: "|", label: "'|'" });
export const Hat = createToken({ name: "Hat", pattern: "^", label: "'^'" });
export const Tilde = createToken({ name: "Tilde", pattern: "~", label: "'~'" });
/** `!` is NOT (Spark's lexer: NOT : 'NOT' | '!'); after `!=`. */
export const Bang = createToken({ name: "Bang", pattern: "!", label: "'!'", categories: [Not] });
export const Plus = createToken({ name: "Plus", pattern: "+", label: "'+'" });
/** `x -> x + 1`: a lambda's parameters and body (before Minus, which it starts with). */
export const Arrow = createToken({ name: "Arrow", pattern: "->", label: "'->'" });
export const Minus = createToken({ name: "Minus", pattern: "-", label: "'-'" });
export const Star = createToken({ name: "Star", pattern: "*", label: "'*'" });
export const Slash = createToken({ name: "Slash", pattern: "/", label: "'/'" });
export const Percent = createToken({ name: "Percent", pattern: "%", label: "'%'" });
export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: "[", label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: "]", label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });
export const Dot = createToken({ name: "Dot", pattern: ".", label: "'.'" });
export const Colon = createToken({ name: "Colon", pattern: ":", label: "':'" });
export const QuestionMark = createToken({ name: "QuestionMark", pattern: "?", label: "'?'" });
export const Semicolon = createToken({ name: "Semicolon", pattern: ";", label: "';'" });

/** Every token, in the order the lexer tries them. */
/** Every keyword token (for tests that check each one in each position). */
export const allKeywords: readonly TokenType[] = keywords;

export const allTokens: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnclosedComment,
  DigitIdentifier, DecimalLiteral, BigintLiteral, IntegerLiteral, BinaryLiteral, StringLiteral, QuotedIdentifier,
  NullSafeEq, NotEq, LtEq, GtEq, Eq, Lt, Gt, Concat, Ampersand, Pipe, Hat, Tilde, Bang, Plus, Arrow, Minus, Star, Slash, Percent,
  LParen, RParen, LBracket, RBracket, Comma, Dot, Colon, QuestionMark, Semicolon,
  NonReserved, AnyKeyword, TableAliasKeyword, ColumnNameKeyword,
  // Longer keywords first, so that ASC is not read as AS followed by C.
  ...[...keywords].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
];
