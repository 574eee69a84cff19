import type { CstNode, IToken } from "chevrotain";
import { sqlParser } from "../../grammar/sql-parser.ts";
import {
  Alias, Call, Case, Cast, ColumnRef, GetField, Literal, SortOrder, Star, type Expression,
} from "../expr/expression.ts";
import { parseDataType } from "../types/ddl.ts";
import { LongType, type DataType } from "../types/data-types.ts";
import { has, node, nodes, sourceText, token, tokens, type Children } from "./cst.ts";
import { functionCall } from "./function-call.ts";
import { overWindow, windowSpecParts, withIgnoreNulls, type NamedWindows } from "./window-spec.ts";
import {
  decimalLiteral, integerLiteral, intervalLiteral, stringLiteral, typedLiteral, unquoteIdentifier, unquoteString,
} from "./literals.ts";

const BaseVisitor = sqlParser.getBaseCstVisitorConstructorWithDefaults<void, unknown>();

const COMPARISONS: Record<string, string> = {
  Eq: "equalto", NotEq: "notequalto", Lt: "lessthan", LtEq: "lessthanorequal",
  Gt: "greaterthan", GtEq: "greaterthanorequal", NullSafeEq: "eqnullsafe",
};
const ARITHMETIC: Record<string, string> = {
  Plus: "add", Minus: "subtract", Concat: "concat", Star: "multiply", Slash: "divide", Percent: "mod",
};

const PRIMARY_RULES = ["caseExpression", "castExpression", "intervalLiteral", "typedLiteral", "literal", "functionCall", "columnReference"];

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
export class ExpressionBuilder extends BaseVisitor {
  /** The enclosing SELECT's `WINDOW w AS (…)` definitions, while its select list is built. */
  namedWindows: NamedWindows = new Map();

  constructor(readonly text: string) {
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
    return parseDataType(sourceText(n, this.text));
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
    const aliasNode = node(ctx, "nameOrKeyword") ?? node(ctx, "identifier");
    return aliasNode === undefined ? e : Alias.create(e, this.identifierText(aliasNode));
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
      if (has(ctx, "NULL")) return call(negated ? "isnotnull" : "isnull", value);
      const truth = Literal.create(has(ctx, "TRUE"), null);
      return not(call("eqnullsafe", value, truth));
    }
    const bounds = nodes(ctx, "additive").map((n) => this.build(n));
    if (has(ctx, "BETWEEN")) {
      return not(call("and", call("greaterthanorequal", value, bounds[0]!), call("lessthanorequal", value, bounds[1]!)));
    }
    if (has(ctx, "IN")) return not(Call.create("in", [value, ...nodes(ctx, "expression").map((n) => this.build(n))]));
    if (has(ctx, "LIKE")) return not(call("like", value, bounds[0]!));
    return not(call("rlike", value, bounds[0]!));
  }

  comparison(ctx: Children): Expression {
    const operands = nodes(ctx, "additive").map((n) => this.build(n));
    const ops = nodes(ctx, "comparisonOperator").map((n) => Object.keys(n.children)[0]!);
    return operands.reduce((left, right, i) => call(COMPARISONS[ops[i - 1]!]!, left, right));
  }

  additive(ctx: Children): Expression {
    return this.#chain(nodes(ctx, "multiplicative"), operators(ctx, ["Plus", "Minus", "Concat"]));
  }

  multiplicative(ctx: Children): Expression {
    return this.#chain(nodes(ctx, "unary"), operators(ctx, ["Star", "Slash", "Percent", "DIV"]));
  }

  #chain(operandNodes: CstNode[], ops: IToken[]): Expression {
    const operands = operandNodes.map((n) => this.build(n));
    return operands.reduce((left, right, i) => {
      const op = ops[i - 1]!.tokenType.name;
      // a DIV b: integral division (truncating), as Spark's `div`.
      if (op === "DIV") return Cast.create(call("divide", left, right), LongType);
      return call(ARITHMETIC[op]!, left, right);
    });
  }

  unary(ctx: Children): Expression {
    const inner = node(ctx, "unary");
    if (inner === undefined) return this.build(node(ctx, "postfix")!);
    if (has(ctx, "Plus")) return this.build(inner);
    // -5 is the literal -5 (Spark's grammar reads a signed number as one literal).
    const number = this.#plainNumber(inner);
    if (number !== undefined) {
      return number.tokenType.name === "DecimalLiteral" ? decimalLiteral(number.image, true) : integerLiteral(number.image, true);
    }
    return call("negative", this.build(inner));
  }

  #plainNumber(unaryNode: CstNode): IToken | undefined {
    const postfix = node(unaryNode.children, "postfix");
    if (postfix === undefined || has(postfix.children, "Dot")) return undefined;
    const literal = node(node(postfix.children, "primary")!.children, "literal");
    if (literal === undefined) return undefined;
    return token(literal.children, "IntegerLiteral") ?? token(literal.children, "BigintLiteral") ?? token(literal.children, "DecimalLiteral");
  }

  postfix(ctx: Children): Expression {
    let e = this.build(node(ctx, "primary")!);
    for (const f of nodes(ctx, "nameOrKeyword")) e = GetField.create(e, this.identifierText(f));
    return e;
  }

  primary(ctx: Children): Expression {
    for (const rule of PRIMARY_RULES) {
      const n = node(ctx, rule);
      if (n !== undefined) return this.build(n);
    }
    return this.build(node(ctx, "expression")!);
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

  castExpression(ctx: Children): Expression {
    return Cast.create(this.build(node(ctx, "expression")!), this.dataType(node(ctx, "dataType")!));
  }

  intervalLiteral(ctx: Children): Expression {
    // Tokens in order after INTERVAL: ('-'? value unit?)+
    const parts: { value: string; unit: string | null }[] = [];
    let sign = "";
    for (const t of operators(ctx, ["Minus", "IntegerLiteral", "DecimalLiteral", "StringLiteral", "unit"])) {
      const kind = t.tokenType.name;
      if (kind === "Minus") sign = "-";
      else if (kind === "Identifier") parts[parts.length - 1] = { value: parts[parts.length - 1]!.value, unit: t.image };
      else {
        parts.push({ value: kind === "StringLiteral" ? unquoteString(t.image) : sign + t.image, unit: null });
        sign = "";
      }
    }
    return intervalLiteral(parts);
  }

  typedLiteral(ctx: Children): Expression {
    return typedLiteral(has(ctx, "TIMESTAMP") ? "TIMESTAMP" : "DATE", unquoteString(token(ctx, "StringLiteral")!.image));
  }

  literal(ctx: Children): Expression {
    const t = Object.values(ctx)[0]![0] as IToken;
    switch (t.tokenType.name) {
      case "IntegerLiteral": case "BigintLiteral": return integerLiteral(t.image, false);
      case "DecimalLiteral": return decimalLiteral(t.image, false);
      // Adjacent strings concatenate: 'a' 'b' is 'ab'.
      case "StringLiteral": return stringLiteral(tokens(ctx, "StringLiteral").map((s) => unquoteString(s.image)).join(""));
      case "TRUE": return Literal.create(true, null);
      case "FALSE": return Literal.create(false, null);
      default: return Literal.create(null, null);
    }
  }

  functionCall(ctx: Children): Expression {
    let fn = functionCall({
      name: has(ctx, "GROUPING") ? "grouping" : this.identifierText(node(ctx, "identifier")!),
      args: nodes(ctx, "expression").map((n) => this.build(n)),
      distinct: has(ctx, "DISTINCT"),
      star: has(ctx, "Star"),
    });
    const nulls = node(ctx, "nullsOption");
    if (nulls !== undefined && has(nulls.children, "IGNORE")) fn = withIgnoreNulls(fn);
    const spec = node(ctx, "windowSpec");
    return spec === undefined ? fn : overWindow(fn, windowSpecParts(spec, this, this.namedWindows));
  }

  columnReference(ctx: Children): Expression {
    const first = node(ctx, "columnName")!;
    const parts = [first, ...nodes(ctx, "nameOrKeyword")].map((i) => this.identifierText(i));
    const single = parts.length === 1 ? parts[0]!.toLowerCase() : "";
    // CURRENT_TIMESTAMP and CURRENT_DATE need no parentheses in Spark SQL.
    const plainWord = token(node(first.children, "identifier")?.children ?? {}, "Identifier") !== undefined;
    if ((single === "current_timestamp" || single === "current_date") && plainWord) {
      return Call.create(single, []);
    }
    return ColumnRef.create(parts.length === 1 ? parts[0]! : parts.map(quotePart).join("."));
  }
}

/** Backquotes a name part that would otherwise split ("a.b") when joined into a dotted name. */
function quotePart(p: string): string {
  return /[.`]/.test(p) ? "`" + p.replace(/`/g, "``") + "`" : p;
}
