import { sql } from "kysely";
import type { AnyInsert } from "./jdbc-dialect.ts";

/**
 * `INSERT … ON CONFLICT (keys) DO UPDATE SET c = excluded.c` — the upsert PostgreSQL and
 * SQLite share (MySQL has ON DUPLICATE KEY UPDATE instead).
 */
export function onConflictUpsert(insert: AnyInsert, keys: readonly string[], values: readonly string[]): AnyInsert {
  return insert.onConflict((oc) => {
    const target = oc.columns([...keys]);
    if (values.length === 0) return target.doNothing();
    const set: Record<string, unknown> = {};
    for (const c of values) set[c] = sql.ref(`excluded.${c}`);
    return target.doUpdateSet(set);
  });
}

/** `INSERT … ON CONFLICT DO NOTHING`. */
export function onConflictIgnore(insert: AnyInsert): AnyInsert {
  return insert.onConflict((oc) => oc.doNothing());
}
