import { noParameters, type SqlParameters } from "./sql-parameters.ts";
import { AnalysisError } from "../common/errors.ts";
import { CstVisitor } from "./cst-visitor.ts";
import { lambdaFunction } from "../expr/lambda.ts";
import type { CstNode, IToken } from "chevrotain";
import {
  AggregateCall, Alias, Call, Case, Cast, ColumnRef, GetField, Literal, SortOrder, Star, Subquery, type Expression,
} from "../expr/expression.ts";
import { parseDataType } from "../types/ddl.ts";
import type { DataType } from "../types/data-types.ts";
import { firstToken, has, node, nodes, sourceText, token, tokens, type Children } from "./cst.ts";
import { withOrigin } from "../expr/origin.ts";
import { originAt } from "./origin-at.ts";
import { writtenName } from "./written-name.ts";
import { identifierClauseParts, isIdentifierClause } from "./identifier-clause.ts";
import { extractCall, functionCall } from "./function-call.ts";
import { binaryLiteral } from "./binary-literal.ts";
import { qualifiedStar, quantifiedLike, specialCall, type CallForm } from "./call-forms.ts";
import { likeWithEscape } from "./like-escape.ts";
import { isRow, tupleIn } from "./tuple-in.ts";
import { withinGroupCall } from "./within-group.ts";
import { overWindow, windowSpecParts, withIgnoreNulls, type NamedWindows } from "./window-spec.ts";
import {
  decimalLiteral, integerLiteral, intervalLiteral, negateIntervalValue, stringLiteral, typedLiteral, unquoteIdentifier, unquoteString,
  type IntervalPart,
} from "./literals.ts";

const COMPARISONS: Record<string, string> = {
  Eq: "equalto", NotEq: "notequalto", Lt: "lessthan", LtEq: "lessthanorequal",
  Gt: "greaterthan", GtEq: "greaterthanorequal", NullSafeEq: "eqnullsafe",
};
const ARITHMETIC: Record<string, string> = {
  Plus: "add", Minus: "subtract", Concat: "concat", Star: "multiply", Slash: "divide", Percent: "mod",
};

const PRIMARY_RULES = ["parameterMarker", "existsExpression", "subquery", "caseExpression", "castExpression", "intervalLiteral", "typedLiteral", "literal", "functionCall", "columnReference"];

/** Token kinds that spell a name (see `identifier`, `nameOrKeyword`, `tableAlias` in the grammar). */
const NAME_TOKENS = ["Identifier", "QuotedIdentifier", "NonReserved", "AnyKeyword", "TableAliasKeyword", "ColumnNameKeyword"];

const call = (name: string, ...args: Expression[]): Expression => Call.create(name, args);

/** Operator tokens of a left-associative chain, in source order. */
function operators(ctx: Children, names: readonly string[]): IToken[] {
  return names.flatMap((n) => tokens(ctx, n)).sort((a, b) => a.startOffset - b.startOffset);
}

/**
 * CST → expression trees, built with the same factories (and the same operator and
 * function names) as the DataFrame API's Column methods and functions. Names stay
 * unresolved: the plan builder resolves them against the input, as for DataFrames.
 */
export class ExpressionBuilder extends CstVisitor<void, unknown> {
  /** The enclosing SELECT's `WINDOW w AS (…)` definitions, while its select list is built. */
  namedWindows: NamedWindows = new Map();

  constructor(readonly text: string, readonly params: SqlParameters = noParameters(text)) {
    super();
  }

  build(n: CstNode): Expression {
    return this.visit(n) as Expression;
  }

  /** The name an `identifier`, `columnName`, `nameOrKeyword` or `tableAlias` node spells (a keyword as written). */
  identifierText(n: CstNode): string {
    const inner = node(n.children, "identifier");
    if (inner !== undefined) return this.identifierText(inner);
    const t = NAME_TOKENS.map((name) => token(n.children, name)).find((x) => x !== undefined)!;
    return unquoteIdentifier(t.image);
  }

  /** `a.b.c` (a columnReference or qualifiedName) as a list of name parts. */
  nameParts(n: CstNode): string[] {
    return [node(n.children, "identifier")!, ...nodes(n.children, "nameOrKeyword")].map((i) => this.identifierText(i));
  }

  dataType(n: CstNode): DataType {
    const first = firstToken(n);
    return parseDataType(sourceText(n, this.text), first?.startLine === undefined ? {} : { origin: { line: first.startLine, column: first.startColumn ?? 1 } });
  }

  // ---- Rules ----

  singleExpression(ctx: Children): Expression {
    return this.build(node(ctx, "expression")!);
  }

  singleSelectItem(ctx: Children): Expression {
    return this.build(node(ctx, "selectItem")!);
  }

  /** `*`, `t.*`, or an expression with an optional alias. */
  selectItem(ctx: Children): Expression {
    if (has(ctx, "Star")) {
      const q = node(ctx, "identifier");
      return Star.create(q === undefined || has(ctx, "expression") ? null : this.identifierText(q));
    }
    const e = this.build(node(ctx, "expression")!);
    const names = node(ctx, "identifierList");
    if (names !== undefined) return Alias.multi(e, nodes(names.children, "identifier").map((i) => this.identifierText(i)));
    const aliasNode = node(ctx, "nameOrKeyword") ?? node(ctx, "identifier");
    if (aliasNode !== undefined) return Alias.create(e, this.identifierText(aliasNode));
    const written = writtenName(e);
    return written === undefined ? e : Alias.create(e, written);
  }

  sortItem(ctx: Children): SortOrder {
    const e = this.build(node(ctx, "expression")!);
    const ascending = !has(ctx, "DESC");
    const nullsFirst = has(ctx, "NULLS") ? has(ctx, "FIRST") : undefined;
    return SortOrder.create(e, ascending, nullsFirst);
  }

  expression(ctx: Children): Expression {
    return nodes(ctx, "booleanAnd").map((n) => this.build(n)).reduce((a, b) => call("or", a, b));
  }

  booleanAnd(ctx: Children): Expression {
    return nodes(ctx, "booleanNot").map((n) => this.build(n)).reduce((a, b) => call("and", a, b));
  }

  booleanNot(ctx: Children): Expression {
    if (has(ctx, "NOT")) return call("not", this.build(node(ctx, "booleanNot")!));
    return this.build(node(ctx, "predicated")!);
  }

  predicated(ctx: Children): Expression {
    const value = this.build(node(ctx, "comparison")!);
    const p = node(ctx, "predicate");
    return p === undefined ? value : this.#predicate(value, p.children);
  }

  #predicate(value: Expression, ctx: Children): Expression {
    const negated = tokens(ctx, "NOT").length > 0;
    const not = (e: Expression): Expression => (negated ? call("not", e) : e);
    if (has(ctx, "IS")) {
      if (has(ctx, "NULL") || has(ctx, "UNKNOWN")) return call(negated ? "isnotnull" : "isnull", value);
      // a IS DISTINCT FROM b is NOT (a <=> b).
      if (has(ctx, "DISTINCT")) return negated ? call("eqnullsafe", value, this.build(node(ctx, "bitwiseOr")!)) : call("not", call("eqnullsafe", value, this.build(node(ctx, "bitwiseOr")!)));
      const truth = Literal.create(has(ctx, "TRUE"), null);
      return not(call("eqnullsafe", value, truth));
    }
    const bounds = nodes(ctx, "bitwiseOr").map((n) => this.build(n));
    if (has(ctx, "BETWEEN")) {
      return not(call("and", call("greaterthanorequal", value, bounds[0]!), call("lessthanorequal", value, bounds[1]!)));
    }
    const sub = node(ctx, "subquery");
    if (sub !== undefined) return not(Subquery.create("in", node(sub.children, "query")!, isRow(value) ? value.args : [value]));
    if (has(ctx, "IN")) {
      const list = nodes(ctx, "expression").map((n) => this.build(n));
      return not(isRow(value) ? tupleIn(value.args, list) : Call.create("in", [value, ...list]));
    }
    const like = node(ctx, "likePredicate");
    if (like !== undefined) {
      const lc = like.children;
      const ci = has(lc, "ILIKE");
      const quantifier = token(lc, "ANY") ?? token(lc, "SOME") ?? token(lc, "ALL");
      if (quantifier !== undefined) return quantifiedLike(value, nodes(lc, "expression").map((n) => this.build(n)), quantifier.image, ci, negated);
      const pattern = this.build(node(lc, "bitwiseOr")!);
      const escape = token(lc, "StringLiteral");
      if (escape !== undefined) return not(likeWithEscape(ci ? "ilike" : "like", value, pattern, unquoteString(escape.image)));
      return not(call(ci ? "ilike" : "like", value, pattern));
    }
    return not(call("rlike", value, bounds[0]!));
  }

  comparison(ctx: Children): Expression {
    const operands = nodes(ctx, "bitwiseOr").map((n) => this.build(n));
    const ops = nodes(ctx, "comparisonOperator").map((n) => Object.keys(n.children)[0]!);
    return operands.reduce((left, right, i) => call(COMPARISONS[ops[i - 1]!]!, left, right));
  }

  bitwiseOr(ctx: Children): Expression {
    return nodes(ctx, "bitwiseXor").map((n) => this.build(n)).reduce((a, b) => call("|", a, b));
  }

  bitwiseXor(ctx: Children): Expression {
    return nodes(ctx, "bitwiseAnd").map((n) => this.build(n)).reduce((a, b) => call("^", a, b));
  }

  bitwiseAnd(ctx: Children): Expression {
    return nodes(ctx, "additive").map((n) => this.build(n)).reduce((a, b) => call("&", a, b));
  }

  additive(ctx: Children): Expression {
    return this.#chain(nodes(ctx, "multiplicative"), operators(ctx, ["Plus", "Minus", "Concat"]));
  }

  multiplicative(ctx: Children): Expression {
    return this.#chain(nodes(ctx, "unary"), operators(ctx, ["Star", "Slash", "Percent", "DIV"]));
  }

  #chain(operandNodes: CstNode[], ops: IToken[]): Expression {
    const operands = operandNodes.map((n) => this.build(n));
    // Each operation starts where its left operand does (Spark's origin of a binary operator).
    const start = operands.length > 1 ? firstToken(operandNodes[0]!) : undefined;
    return operands.reduce((left, right, i) => {
      const op = ops[i - 1]!.tokenType.name;
      // a DIV b: integral division (truncating), as Spark's `div`.
      const made = op === "DIV" ? call("div", left, right) : call(ARITHMETIC[op]!, left, right);
      return start === undefined ? made : withOrigin(made, originAt(start));
    });
  }

  unary(ctx: Children): Expression {
    const inner = node(ctx, "unary");
    if (inner === undefined) return this.build(node(ctx, "postfix")!);
    if (has(ctx, "Plus")) return this.build(inner);
    if (has(ctx, "Tilde")) return call("~", this.build(inner));
    // -5 is the literal -5 (Spark's grammar reads a signed number as one literal).
    const number = this.#plainNumber(inner);
    if (number !== undefined) {
      return number.tokenType.name === "DecimalLiteral" ? decimalLiteral(number.image, true) : integerLiteral(number.image, true);
    }
    return call("negative", this.build(inner));
  }

  #plainNumber(unaryNode: CstNode): IToken | undefined {
    const postfix = node(unaryNode.children, "postfix");
    if (postfix === undefined || has(postfix.children, "postfixOperator")) return undefined;
    const literal = node(node(postfix.children, "primary")!.children, "literal");
    if (literal === undefined) return undefined;
    return token(literal.children, "IntegerLiteral") ?? token(literal.children, "BigintLiteral") ?? token(literal.children, "DecimalLiteral");
  }

  postfix(ctx: Children): Expression {
    let e = this.build(node(ctx, "primary")!);
    for (const op of nodes(ctx, "postfixOperator")) {
      const field = node(op.children, "nameOrKeyword");
      e = field !== undefined ? GetField.create(e, this.identifierText(field)) : call("subscript", e, this.build(node(op.children, "expression")!));
    }
    return e;
  }

  primary(ctx: Children): Expression {
    for (const rule of PRIMARY_RULES) {
      const n = node(ctx, rule);
      if (n !== undefined) return this.build(n);
    }
    const items = nodes(ctx, "expression").map((n) => this.build(n));
    // `(a, b)`: Spark's row constructor, a struct of col1, col2, … (CreateStruct).
    return items.length === 1 ? items[0]! : Call.create("struct", items);
  }

  /** `:name` or `?`: the argument spark.sql(text, args) gave for it. */
  parameterMarker(ctx: Children): Expression {
    const name = node(ctx, "nameOrKeyword");
    return name !== undefined ? this.params.namedValue(this.identifierText(name), token(ctx, "Colon")!) : this.params.positionalValue(token(ctx, "QuestionMark")!);
  }

  /** `EXISTS (SELECT …)`: the query is planned by the SQL front end (see Subquery). */
  existsExpression(ctx: Children): Expression {
    return Subquery.create("exists", node(node(ctx, "subquery")!.children, "query")!);
  }

  /** `(SELECT …)` as a value: a scalar subquery. */
  subquery(ctx: Children): Expression {
    return Subquery.create("scalar", node(ctx, "query")!);
  }

  caseExpression(ctx: Children): Expression {
    const operand = node(ctx, "operand");
    const subject = operand === undefined ? null : this.build(operand);
    const conditions = nodes(ctx, "condition").map((n) => this.build(n));
    const values = nodes(ctx, "value").map((n) => this.build(n));
    const otherwise = node(ctx, "otherwise");
    const branches = conditions.map((c, i) => [subject === null ? c : call("equalto", subject, c), values[i]!] as const);
    return Case.create(branches, otherwise === undefined ? null : this.build(otherwise));
  }

  /** CAST(x AS t) (Spark's non-ANSI cast), and TRY_CAST(x AS t): NULL where the ANSI cast would fail. */
  castExpression(ctx: Children): Expression {
    const child = this.build(node(ctx, "expression")!);
    const to = this.dataType(node(ctx, "dataType")!);
    const cast = has(ctx, "TRY_CAST") ? Cast.tryCast(child, to) : Cast.create(child, to);
    const at = firstToken({ name: "castExpression", children: ctx } as CstNode);
    return at === undefined ? cast : withOrigin(cast, originAt(at));
  }

  intervalLiteral(ctx: Children): Expression {
    const parts: IntervalPart[] = nodes(ctx, "intervalPart").map((n) => {
      const c = n.children;
      const value = token(c, "IntegerLiteral") ?? token(c, "DecimalLiteral") ?? token(c, "StringLiteral")!;
      const quoted = value.tokenType.name === "StringLiteral";
      const text = quoted ? unquoteString(value.image) : value.image;
      return {
        value: has(c, "Minus") ? negateIntervalValue(text) : text,
        quoted,
        unit: token(c, "unit")?.image ?? null,
        toUnit: token(c, "toUnit")?.image ?? null,
      };
    });
    return intervalLiteral(parts, sourceText({ name: "intervalLiteral", children: ctx } as CstNode, this.text));
  }

  typedLiteral(ctx: Children): Expression {
    const word = token(ctx, "typeWord");
    const kind = has(ctx, "TIMESTAMP") ? "TIMESTAMP" : has(ctx, "DATE") ? "DATE" : word!.image.toUpperCase();
    const first = word ?? token(ctx, "TIMESTAMP") ?? token(ctx, "DATE");
    return typedLiteral(kind, unquoteString(token(ctx, "StringLiteral")!.image), { line: first?.startLine ?? 1, column: first?.startColumn ?? 1 });
  }

  literal(ctx: Children): Expression {
    const t = Object.values(ctx)[0]![0] as IToken;
    switch (t.tokenType.name) {
      case "IntegerLiteral": case "BigintLiteral": return integerLiteral(t.image, false);
      case "DecimalLiteral": return decimalLiteral(t.image, false);
      case "BinaryLiteral": return binaryLiteral(t.image, t.startLine ?? 1, t.startColumn ?? 1);
      // Adjacent strings concatenate: 'a' 'b' is 'ab'.
      case "StringLiteral": return stringLiteral(tokens(ctx, "StringLiteral").map((s) => unquoteString(s.image)).join(""));
      case "TRUE": return Literal.create(true, null);
      case "FALSE": return Literal.create(false, null);
      default: return Literal.create(null, null);
    }
  }

  functionCall(ctx: Children): Expression {
    const nameNode = node(ctx, "identifier");
    const name = has(ctx, "GROUPING") ? "grouping" : nameNode !== undefined ? this.identifierText(nameNode) : (token(ctx, "LEFT") ?? token(ctx, "RIGHT") ?? token(ctx, "REGEXP") ?? token(ctx, "LIKE") ?? token(ctx, "ILIKE") ?? token(ctx, "RLIKE"))!.image.toLowerCase();
    const a = node(ctx, "functionArguments")?.children ?? {};
    const qualifier = node(a, "identifier");
    const args = qualifier !== undefined ? [qualifiedStar(this.identifierText(qualifier))] : nodes(a, "functionArgument").map((n) => this.#argument(n.children));
    const form = this.#callForm(a);
    // extract(HOUR FROM ts): the field is a name, the source follows FROM.
    if (form.kind === "from" && form.for === null && name.toLowerCase() === "extract") return extractCall(name, args, form.from);
    const lower = name.toLowerCase();
    if ((lower === "like" || lower === "ilike") && args.length === 3 && form.kind === "plain") return likeWithEscape(lower, args[0]!, args[1]!, args[2]!);
    // IDENTIFIER('col'): the column the string names (Spark 3.5's identifier clause).
    if (form.kind === "plain" && !has(ctx, "DISTINCT") && node(ctx, "windowSpec") === undefined && isIdentifierClause(name, args.length)) {
      return withOrigin(ColumnRef.create(identifierClauseParts(args[0]!).map(quotePart).join(".")), originAt(firstToken({ name: "functionCall", children: ctx } as CstNode)!));
    }
    const special = specialCall(name, args, form);
    if (special !== null) return special;
    const within = node(ctx, "withinGroup");
    let fn = within !== undefined
      ? withinGroupCall(name, args, this.build(node(within.children, "sortItem")!) as SortOrder, has(ctx, "DISTINCT"))
      : functionCall({ name, args, distinct: has(ctx, "DISTINCT"), star: has(a, "Star") && qualifier === undefined, origin: originAt(firstToken({ name: "functionCall", children: ctx } as CstNode)!) });
    const nulls = node(ctx, "nullsOption");
    if (nulls !== undefined && has(nulls.children, "IGNORE")) fn = withIgnoreNulls(fn);
    const spec = node(ctx, "windowSpec");
    const filter = node(ctx, "aggregateFilter");
    if (filter !== undefined) {
      if (fn.kind !== "AggregateCall") throw new AnalysisError(`[INVALID_SQL_SYNTAX] FILTER (WHERE …) is given to ${name}, which is not an aggregate function`);
      if (spec !== undefined) throw new AnalysisError(`[INVALID_SQL_SYNTAX] FILTER (WHERE …) is not supported for the window aggregate ${name}(…) OVER (…)`);
      fn = AggregateCall.create(fn.name, fn.args, fn.distinct, fn.dataType, this.build(node(filter.children, "expression")!));
    }
    return spec === undefined ? fn : overWindow(fn, windowSpecParts(spec, this, this.namedWindows));
  }

  /** `expression (AS name)?` inside a call: struct(x AS n). */
  #argument(ctx: Children): Expression {
    const lambda = node(ctx, "lambda");
    if (lambda !== undefined) {
      const params = nodes(lambda.children, "nameOrKeyword").map((n) => this.identifierText(n));
      return lambdaFunction(params, this.build(node(lambda.children, "expression")!));
    }
    const e = this.build(node(ctx, "expression")!);
    const alias = node(ctx, "nameOrKeyword");
    return alias === undefined ? e : Alias.create(e, this.identifierText(alias));
  }

  #callForm(a: Children): CallForm {
    const built = (label: string): Expression | null => { const n = node(a, label); return n === undefined ? null : this.build(n); };
    const mode = token(a, "BOTH") ?? token(a, "LEADING") ?? token(a, "TRAILING");
    if (mode !== undefined) return { kind: "trim", mode: mode.image.toUpperCase() as "BOTH", chars: built("trimChars"), source: built("source")! };
    if (has(a, "PLACING")) return { kind: "placing", placing: built("placing")!, from: built("from")!, for: built("for") };
    if (has(a, "FROM")) return { kind: "from", from: built("from")!, for: built("for") };
    if (has(a, "FOR")) return { kind: "for", for: built("for")! };
    if (has(a, "IN")) return { kind: "in", in: built("in")! };
    return { kind: "plain" };
  }

  columnReference(ctx: Children): Expression {
    const first = node(ctx, "columnName")!;
    const parts = [first, ...nodes(ctx, "nameOrKeyword")].map((i) => this.identifierText(i));
    const single = parts.length === 1 ? parts[0]!.toLowerCase() : "";
    // CURRENT_TIMESTAMP and CURRENT_DATE need no parentheses in Spark SQL.
    const plainWord = token(node(first.children, "identifier")?.children ?? {}, "Identifier") !== undefined;
    if ((single === "current_timestamp" || single === "current_date" || single === "localtimestamp") && plainWord) {
      return Call.create(single, []);
    }
    return withOrigin(ColumnRef.create(parts.length === 1 ? parts[0]! : parts.map(quotePart).join(".")), originAt(firstToken(first)!));
  }
}

/** Backquotes a name part that would otherwise split ("a.b") when joined into a dotted name. */
function quotePart(p: string): string {
  return /[.`]/.test(p) ? "`" + p.replace(/`/g, "``") + "`" : p;
}
