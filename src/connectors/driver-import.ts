import { ConnectorError } from "../common/errors.ts";

/**
 * Loads a client library when a connector first connects. The database drivers (`pg`,
 * `mysql2`) and the bus clients (`redis`, `@nats-io/*`) are optional peer dependencies
 * (installed by the user who needs them), so an absent one becomes an error that says which
 * package to install. `load` is the connector's own `import("…")`, so each specifier stays a
 * literal that the compiler checks.
 */
export async function importDriver<M>(pkg: string, database: string, load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (error) {
    if (!isMissingPackage(error, pkg)) throw error;
    throw new ConnectorError(`${database} needs the driver package '${pkg}', which is not installed: npm install ${pkg}`, { cause: error });
  }
}

/** Node's "Cannot find package 'pg' imported from …" (not a missing file inside an installed driver). */
function isMissingPackage(error: unknown, pkg: string): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return e?.code === "ERR_MODULE_NOT_FOUND" && typeof e.message === "string" && e.message.includes(`'${pkg}'`);
}
