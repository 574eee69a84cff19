import type { SqliteDatabase, SqliteStatement } from "kysely";

/** What rivulet uses of node-sqlite3-wasm's Database (passed in, so another build can stand in). */
export interface WasmDatabase {
  all(sql: string, values?: WasmBindValue[]): unknown[];
  run(sql: string, values?: WasmBindValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  close(): void;
}

export type WasmBindValue = number | bigint | string | boolean | Uint8Array | null;

/** Statements that return rows; the others report the rows they changed. */
const READER = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

/**
 * Kysely's SqliteDialect over node-sqlite3-wasm. Kysely expects better-sqlite3's shape
 * (prepare → statement with `reader`); node-sqlite3-wasm statements live in WebAssembly
 * memory and must be finalized, so each call prepares, runs and finalizes in one go
 * (`Database.all` / `Database.run` do exactly that).
 */
export class WasmSqliteDatabase implements SqliteDatabase {
  readonly #db: WasmDatabase;

  constructor(db: WasmDatabase) {
    this.#db = db;
  }

  prepare(sql: string): SqliteStatement {
    const db = this.#db;
    return {
      reader: READER.test(sql),
      all: (parameters) => db.all(sql, bindable(parameters)),
      run: (parameters) => db.run(sql, bindable(parameters)),
      iterate: (parameters) => db.all(sql, bindable(parameters))[Symbol.iterator](),
    };
  }

  close(): void {
    this.#db.close();
  }
}

/** node-sqlite3-wasm binds numbers, bigints, strings, booleans, Uint8Arrays and null. */
function bindable(parameters: readonly unknown[]): WasmBindValue[] {
  return parameters.map((p) => (p === undefined ? null : p instanceof Date ? p.toISOString() : p) as WasmBindValue);
}
