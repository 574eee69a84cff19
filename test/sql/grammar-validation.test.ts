import { expect, test } from "vitest";
import { SqlParser } from "../../grammar/sql-parser.ts";

/**
 * The parser rivulet builds at import skips chevrotain's grammar validation (half of its
 * construction time); this builds it with the validation, so a grammar change that makes an
 * alternative ambiguous within LL(3), reuses a DSL index (OR4 twice in one rule) or recurses
 * to the left fails here.
 */
test("the SQL grammar passes chevrotain's validation at LL(3)", () => {
  expect(() => new SqlParser({ validate: true })).not.toThrow();
});
