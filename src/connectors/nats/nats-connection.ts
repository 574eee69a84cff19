import type { JetStreamClient, JetStreamManager, StreamInfo } from "@nats-io/jetstream";
import type { MsgHdrs, NatsConnection } from "@nats-io/transport-node";
import { ConnectorError } from "../../common/errors.ts";
import { importDriver } from "../driver-import.ts";
import { redactSecrets, redactUrl } from "../../common/redact-secrets.ts";

/** One connection to a NATS server with JetStream, as sources and sinks use it. */
export interface JetStreamConnection {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** A new, empty set of message headers (the client's own constructor). */
  readonly headers: () => MsgHdrs;
  /** The servers as they may be shown (passwords as `***`). */
  readonly shownServers: string;
  close(): Promise<void>;
}

/** Comma-separated server URLs of option `servers` (nats://user:pass@host:port, host:port). */
export function parseServers(option: string | undefined, where: string): string[] {
  const servers = (option ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (servers.length === 0) throw new ConnectorError(`${where}: option 'servers' is required, e.g. nats://127.0.0.1:4222`);
  return servers;
}

/** The servers' passwords and tokens, to strip from any text a client error carries. */
function secretsOf(servers: readonly string[]): string[] {
  return servers.flatMap((s) => {
    const m = /\/\/([^/@]*)@/.exec(s);
    if (m === null) return [];
    const [user, pass] = m[1]!.split(":");
    return pass === undefined ? [user!] : [pass];
  });
}

export function redactedServers(servers: readonly string[]): string {
  return servers.map((s) => (s.includes("//") ? redactUrl(s) : s)).join(",");
}

/** Options `user` + `password`, or `token`: credentials given apart from the server URLs. */
export interface NatsAuth {
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

export function natsAuthOf(get: (key: string) => string | undefined, where: string): NatsAuth {
  const user = get("user"), pass = get("password"), token = get("token");
  if (token !== undefined && (user !== undefined || pass !== undefined)) throw new ConnectorError(`${where}: give options 'user' and 'password', or 'token', not both`);
  if ((user === undefined) !== (pass === undefined)) throw new ConnectorError(`${where}: options 'user' and 'password' go together`);
  return { ...(user === undefined ? {} : { user, pass: pass! }), ...(token === undefined ? {} : { token }) };
}

/** A client error as a message that names what failed and shows no credentials. */
export function describeError(error: unknown, servers: readonly string[], auth: NatsAuth = {}): string {
  return redactSecrets(error instanceof Error ? error.message : String(error), [...secretsOf(servers), auth.pass, auth.token]);
}

/** How long a request may wait for the server (option `timeoutMs`) before it fails and the retry policy takes over. */
export const DEFAULT_NATS_TIMEOUT_MS = 10_000;

/** Option `timeoutMs`: a positive number of milliseconds. */
export function natsTimeoutOption(value: string | undefined, where: string): number {
  if (value === undefined || value.trim() === "") return DEFAULT_NATS_TIMEOUT_MS;
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new ConnectorError(`${where}: option 'timeoutMs' must be a positive number of milliseconds, not '${value}'`);
  return ms;
}

/**
 * Connects and checks that JetStream answers. The client reconnects on its own when a
 * server goes away mid-run (without a bound on attempts). Nothing waits for ever: every
 * JetStream request and publish fails after `timeoutMs`, and a connection whose server no
 * longer answers pings (one that vanished without closing it) is dropped after about two
 * `timeoutMs / 2` ping intervals and re-established. The callers retry what failed under
 * their retry policy.
 */
export async function connectJetStream(servers: readonly string[], where: string, timeoutMs = DEFAULT_NATS_TIMEOUT_MS, auth: NatsAuth = {}): Promise<JetStreamConnection> {
  const shownServers = redactedServers(servers);
  const { connect, headers } = await importDriver("@nats-io/transport-node", "NATS", () => import("@nats-io/transport-node"));
  const { jetstream, jetstreamManager } = await importDriver("@nats-io/jetstream", "NATS JetStream", () => import("@nats-io/jetstream"));
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: [...servers], maxReconnectAttempts: -1, name: "rivulet", ...auth,
      timeout: timeoutMs, pingInterval: Math.max(100, Math.floor(timeoutMs / 2)), maxPingOut: 2,
    });
  } catch (error) {
    throw new ConnectorError(`${where}: cannot connect to NATS server ${shownServers}: ${describeError(error, servers, auth)}`, { cause: error });
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
    return { nc, js: jetstream(nc, { timeout: timeoutMs }), jsm, headers, shownServers, close: () => closeWithin(nc, timeoutMs) };
  } catch (error) {
    await nc.close().catch(() => {});
    throw new ConnectorError(`${where}: JetStream is not available on NATS server ${shownServers}: ${describeError(error, servers, auth)}`, { cause: error });
  }
}

/** Closes the connection, waiting at most `ms` for it to drain (a server that vanished would keep it waiting). */
async function closeWithin(nc: NatsConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([nc.close().catch(() => {}), new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })]);
  clearTimeout(timer);
}

/** The stream's info; an unknown stream is an error naming it and the server. */
export async function streamInfo(conn: JetStreamConnection, stream: string, where: string, servers: readonly string[]): Promise<StreamInfo> {
  try {
    return await conn.jsm.streams.info(stream);
  } catch (error) {
    if ((error as Error).name === "StreamNotFoundError" || /stream not found/i.test((error as Error).message)) {
      throw new ConnectorError(`${where}: stream '${stream}' does not exist on NATS server ${conn.shownServers}`, { cause: error });
    }
    throw new ConnectorError(`${where}: cannot read stream '${stream}' on NATS server ${conn.shownServers}: ${describeError(error, servers)}`, { cause: error });
  }
}

/** Timeouts and lost connections (a server restarting) pass with time; a refused request does not. */
export function isTransient(error: unknown): boolean {
  const name = (error as Error)?.name ?? "";
  const message = (error as Error)?.message ?? "";
  return /Timeout|Connection|Closed|NoResponders|IncompleteRead|Heartbeat/i.test(name) || /timeout|disconnect|connection|no responders|jetstream is not enabled/i.test(message);
}
