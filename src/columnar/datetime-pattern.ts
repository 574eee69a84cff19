import { AnalysisError } from "../common/errors.ts";

/**
 * Spark 3 datetime patterns compiled into nodes (literals, fields, optional sections), with
 * Spark's checks: the letters and counts it accepts, no week-based letters, and the letters
 * only formatting allows. datetime-format.ts formats with the nodes, datetime-pattern-parse.ts parses with them.
 */
export type Node =
  | { readonly kind: "literal"; readonly text: string }
  | { kind: "field"; readonly letter: string; readonly count: number; minWidth: number; maxWidth: number }
  | { readonly kind: "optional"; readonly nodes: Node[] };

export const MICROS_PER_DAY = 86_400_000_000;
export const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const QUARTERS = ["1st quarter", "2nd quarter", "3rd quarter", "4th quarter"];

const WEEK_BASED = new Set(["Y", "W", "w", "u", "e", "c"]);
const NOT_FOR_PARSING = new Set(["E", "F", "q", "Q"]);
/** Letter → the largest count Spark accepts. */
const MAX_COUNT: Record<string, number> = {
  G: 4, y: 6, M: 4, L: 4, d: 2, D: 3, Q: 4, q: 4, E: 4, F: 1, a: 1,
  h: 2, K: 2, k: 2, H: 2, m: 2, s: 2, S: 9, V: 2, z: 4, O: 4, v: 4, X: 5, x: 5, Z: 5,
};

export function isNumeric(n: Node): boolean {
  if (n.kind !== "field") return false;
  if ("MLQq".includes(n.letter)) return n.count <= 2;
  return "yDdFhKkHmsS".includes(n.letter);
}

export function widths(letter: string, count: number): [number, number] {
  switch (letter) {
    case "y": return count === 2 ? [2, 2] : [count, 10];
    case "D": return [count, 3];
    case "S": return [1, count];
    case "Q": case "q": case "F": return [count, count];
    default: return count === 1 ? [1, 2] : [2, 2];
  }
}

function invalid(pattern: string, why: string): never {
  throw new AnalysisError(`invalid datetime pattern '${pattern}': ${why}`);
}

/** Pattern text → nodes; throws AnalysisError on patterns Spark 3 rejects. */
export function compilePattern(pattern: string, forParsing: boolean): Node[] {
  const stack: Node[][] = [[]];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === "'") {
      let j = i + 1, text = "";
      for (;;) {
        if (j >= pattern.length) invalid(pattern, "unterminated quote");
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") { text += "'"; j += 2; continue; }
          break;
        }
        text += pattern[j++];
      }
      top.push({ kind: "literal", text: j === i + 1 ? "'" : text });
      i = j + 1;
    } else if (c === "[") {
      const nodes: Node[] = [];
      top.push({ kind: "optional", nodes });
      stack.push(nodes);
      i++;
    } else if (c === "]") {
      if (stack.length === 1) invalid(pattern, "']' without a matching '['");
      stack.pop();
      i++;
    } else if (/[a-zA-Z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const count = j - i;
      if (WEEK_BASED.has(c)) {
        throw new AnalysisError(`[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_WEEK_BASED_PATTERN] You may get a different result due to the upgrading to Spark >= 3.0: All week-based patterns are unsupported since Spark 3.0, detected week-based character: ${c}. Please use the SQL function EXTRACT instead.`);
      }
      const max = MAX_COUNT[c];
      if (max === undefined) invalid(pattern, `illegal pattern character '${c}'`);
      if (count > max || ((c === "O" || c === "v") && count !== 1 && count !== 4) || (c === "V" && count !== 2)) invalid(pattern, `too many pattern letters: ${c.repeat(count)}`);
      if (forParsing && NOT_FOR_PARSING.has(c)) invalid(pattern, `the symbol '${c}' can only be used for datetime formatting, not parsing`);
      const [minWidth, maxWidth] = widths(c, count);
      top.push({ kind: "field", letter: c, count, minWidth, maxWidth });
      i = j;
    } else if (c === "{" || c === "}" || c === "#") {
      invalid(pattern, `reserved character '${c}'`);
    } else {
      top.push({ kind: "literal", text: c });
      i++;
    }
  }
  if (stack.length !== 1) invalid(pattern, "'[' without a matching ']'");
  fixAdjacentWidths(stack[0]!);
  return stack[0]!;
}

/** Java's adjacent value parsing: a variable-width number right before another number takes its minimum width ("yyyyMMdd"). */
function fixAdjacentWidths(nodes: Node[]): void {
  for (let k = 0; k < nodes.length; k++) {
    const n = nodes[k]!;
    if (n.kind === "optional") fixAdjacentWidths(n.nodes);
    else if (n.kind === "field" && isNumeric(n) && nodes[k + 1] !== undefined && isNumeric(nodes[k + 1]!)) {
      if (n.letter === "y" && n.count !== 2) n.minWidth = n.maxWidth = Math.max(n.count, 4);
      else if (n.letter === "S") n.minWidth = n.maxWidth = n.count;
      else n.maxWidth = n.minWidth;
    }
  }
}
