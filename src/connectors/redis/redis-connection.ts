import type { createClient } from "redis";
import { importDriver } from "../driver-import.ts";
import { ConnectorError } from "../../common/errors.ts";
import { redactSecrets, redactUrl } from "../../common/redact-secrets.ts";

export type RedisClient = ReturnType<typeof createClient>;

/** Option `url` (redis://[user:password@]host:port[/db]), and how it may be shown. */
export function redisUrl(option: string | undefined, where: string): { url: string; shown: string; password: string | null } {
  const url = option?.trim();
  if (!url) throw new ConnectorError(`${where}: option 'url' is required, e.g. redis://127.0.0.1:6379`);
  let password: string | null = null;
  try {
    password = decodeURIComponent(new URL(url).password) || null;
  } catch (error) {
    throw new ConnectorError(`${where}: malformed Redis URL '${redactUrl(url)}': expected redis://[user:password@]host:port[/db]`, { cause: error });
  }
  return { url, shown: redactUrl(url), password };
}

/** A client error as text without the password. */
export function describeRedisError(error: unknown, password: string | null): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), [password]);
}

/**
 * Connects once, failing at once when the server cannot be reached (node-redis would
 * otherwise retry the first connection for ever); once connected, a lost connection is
 * re-established with backoff and commands wait in its queue meanwhile.
 */
export async function connectRedis(option: string | undefined, where: string): Promise<{ client: RedisClient; shown: string; password: string | null }> {
  const { url, shown, password } = redisUrl(option, where);
  const { createClient } = await importDriver("redis", "Redis", () => import("redis"));
  let connected = false;
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause) },
  });
  // Errors of a lost connection surface on the commands waiting for it; this keeps them from crashing the process.
  client.on("error", () => {});
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw new ConnectorError(`${where}: cannot connect to Redis server ${shown}: ${describeRedisError(error, password)}`, { cause: error });
  }
  return { client, shown, password };
}

/**
 * A WATCH broken by another writer or by a reconnect, or a command lost with its connection
 * (a server restarting): trying again is safe and may succeed.
 */
export function isRetryable(error: unknown): boolean {
  return (error as Error | null)?.name === "WatchError" || /connection|socket|closed|reconnect|ECONNRESET|ECONNREFUSED|EPIPE/i.test((error as Error)?.message ?? "");
}
