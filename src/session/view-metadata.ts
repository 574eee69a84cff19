import { tableKey } from "./table-name.ts";

/** What a CREATE VIEW view keeps beside its plan: the text after AS and TBLPROPERTIES (Spark's view CatalogTable). */
export interface ViewMetadata {
  readonly text?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

/** A session's view metadata by view key; a view defined again, renamed or dropped takes (or loses) its entry. */
export class ViewMetadataStore {
  readonly #byKey = new Map<string, ViewMetadata>();

  get(name: string): ViewMetadata {
    return this.#byKey.get(tableKey(name)) ?? {};
  }

  set(name: string, metadata: ViewMetadata): void {
    this.#byKey.set(tableKey(name), metadata);
  }

  delete(name: string): void {
    this.#byKey.delete(tableKey(name));
  }
}
