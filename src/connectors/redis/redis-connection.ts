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
  return redactSecrets(errorText(error), [password]);
}

/**
 * An error's message, or what else names it when the message is empty: node-redis's command
 * TimeoutError has none, and Node's AggregateError of a refused dual-stack connect keeps the
 * reasons in `errors` and `code`.
 */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message !== "") return error.message;
  const code = (error as { code?: unknown }).code;
  const inner = error instanceof AggregateError ? error.errors.map(errorText).filter((t) => t !== "") : [];
  if (inner.length > 0) return [...new Set(inner)].join("; ");
  // node-redis's error classes leave `name` as "Error": the class says which it is.
  const kind = error.name !== "Error" ? error.name : error.constructor.name;
  if (kind === "TimeoutError") return "TimeoutError: the server did not answer the command in time";
  return typeof code === "string" ? `${kind} ${code}` : kind;
}

/** How long a command may wait for the server (option `timeoutMs`) before it fails and the retry policy takes over. */
export const DEFAULT_REDIS_TIMEOUT_MS = 10_000;

/**
 * Connects once, failing at once when the server cannot be reached (node-redis would
 * otherwise retry the first connection for ever); once connected, a lost connection is
 * re-established with backoff. No command waits for ever: one queued while the connection
 * is down fails after `timeoutMs`, and a connection silent for `timeoutMs` (a server that
 * vanished without closing it) is dropped, failing the commands sent on it. The caller
 * retries them under its retry policy.
 */
export async function connectRedis(option: string | undefined, where: string, timeoutMs = DEFAULT_REDIS_TIMEOUT_MS): Promise<{ client: RedisClient; shown: string; password: string | null }> {
  const { url, shown, password } = redisUrl(option, where);
  const { createClient } = await importDriver("redis", "Redis", () => import("redis"));
  let connected = false;
  const client = createClient({
    url,
    commandOptions: { timeout: timeoutMs },
    socket: {
      connectTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      reconnectStrategy: (retries, cause) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
    },
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
  const name = (error as Error | null)?.constructor?.name ?? "";
  return (error as Error | null)?.name === "WatchError" || /Timeout/.test(name)
    || /connection|socket|closed|reconnect|timed out|timeout|ECONNRESET|ECONNREFUSED|EPIPE/i.test((error as Error)?.message ?? "");
}

/** A promise that fails (retryably) when `ms` pass first: for a MULTI chain, which node-redis queues without a deadline. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from the Redis server within ${ms} ms (timed out)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Closes a client, waiting at most `ms` for its pending commands (a server that vanished would keep them for ever). */
export async function closeRedis(client: RedisClient, ms: number): Promise<void> {
  try {
    await withDeadline(client.close(), ms, "closing");
  } catch {
    client.destroy();
  }
}

/** Option `timeoutMs`: a positive number of milliseconds. */
export function redisTimeoutOption(value: string | undefined, where: string): number {
  if (value === undefined || value.trim() === "") return DEFAULT_REDIS_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new ConnectorError(`${where}: option 'timeoutMs' must be a positive number of milliseconds, not '${value}'`);
  return ms;
}
