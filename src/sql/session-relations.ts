import { AnalysisError } from "../common/errors.ts";
import type { LogicalPlan } from "../plan/logical-plan.ts";
import type { Catalog } from "../session/catalog.ts";
import type { RelationResolver } from "./query-builder.ts";
import { didYouMean } from "../common/suggest.ts";
import { sqlOnFile } from "./sql-on-file.ts";

/** Table names in SQL resolve through the session catalog: temp views, memory-sink tables, CREATE TABLE tables. */
export function catalogRelations(catalog: Catalog, conf?: (key: string) => string | undefined): RelationResolver {
  return {
    conf: (key: string) => conf?.(key),
    relation(name: string, asStream: boolean): LogicalPlan {
      const plan = (asStream ? catalog.lookupStream(name) : catalog.lookup(name)) ?? sqlOnFile(name, asStream, catalog.sessionTimeZone, catalog.sourceConf);
      if (plan === null) throw tableNotFound(name, catalog.tableNames());
      return plan;
    },
    names: () => catalog.tableNames(),
  };
}

export function tableNotFound(name: string, known: readonly string[]): AnalysisError {
  return new AnalysisError(`[TABLE_OR_VIEW_NOT_FOUND] The table or view \`${name}\` cannot be found.${didYouMean(name, known)} Known tables: ${known.join(", ") || "(none)"}`);
}
