import { expect } from "vitest";
import type { Session } from "../../src/index.ts";

/**
 * Runs `sql` with every optimizer rule, then with `rule` excluded (spark.sql.optimizer.excludedRules),
 * expects equal answers and returns them: a rewrite must not change what a query gives.
 */
export async function withRuleAndWithout(spark: Session, rule: string, sql: string): Promise<unknown[]> {
  spark.conf.unset("spark.sql.optimizer.excludedRules");
  const withRule = await spark.sql(sql).collect();
  spark.conf.set("spark.sql.optimizer.excludedRules", rule);
  try {
    expect(await spark.sql(sql).collect()).toEqual(withRule);
  } finally {
    spark.conf.unset("spark.sql.optimizer.excludedRules");
  }
  return withRule;
}
