import { randomUUID } from "node:crypto";
import { ConnectorError } from "../common/errors.ts";
import { redactUrl } from "../common/redact-secrets.ts";

/**
 * Spark Connect's connection string, as Spark's clients read it:
 * `sc://host[:port]/[;key=value]*`. The path is empty; keys are case-sensitive. `token`
 * (sent as `authorization: Bearer …`, only over TLS), `use_ssl`, `user_id`, `user_agent`,
 * `session_id` (a UUID) and `grpc_max_message_size` configure the client; any other key
 * goes to the server as a gRPC metadata header.
 */
export interface ConnectionString {
  readonly host: string;
  readonly port: number;
  readonly useSsl: boolean;
  readonly token: string | null;
  readonly userId: string | null;
  readonly userAgent: string;
  readonly sessionId: string;
  readonly maxMessageSize: number;
  /** Other parameters, sent as headers with every call. */
  readonly metadata: Readonly<Record<string, string>>;
  /** The string with the token hidden (`token=***`): what errors, logs and toString() show. */
  readonly redacted: string;
}

export const DEFAULT_CONNECT_PORT = 15002;
export const DEFAULT_MAX_MESSAGE_SIZE = 128 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalid(url: string, why: string): ConnectorError {
  return new ConnectorError(`[INVALID_CONNECT_URL] ${redactUrl(url)}: ${why}`);
}

/** Parses and checks a connection string; `clientVersion` makes the default user agent (`rivulet/<version>`). */
export function parseConnectionString(url: string, clientVersion: string): ConnectionString {
  if (!url.startsWith("sc://")) throw invalid(url, "a Spark Connect URL starts with sc:// (sc://host:15002)");
  const rest = url.slice("sc://".length);
  const slash = rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const afterSlash = slash < 0 ? "" : rest.slice(slash + 1);
  const semicolon = afterSlash.indexOf(";");
  const path = semicolon < 0 ? afterSlash : afterSlash.slice(0, semicolon);
  if (path !== "") throw invalid(url, `the path must be empty, but it is '/${path}' (parameters follow as /;key=value)`);
  if (slash < 0 && authority.includes(";")) throw invalid(url, "parameters follow the host after a slash: sc://host:port/;key=value");

  const { host, port } = hostAndPort(url, authority);
  const params = new Map<string, string>();
  for (const part of (semicolon < 0 ? "" : afterSlash.slice(semicolon + 1)).split(";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0) throw invalid(url, `the parameter '${part.startsWith("token") ? "token" : part}' must be key=value`);
    const key = part.slice(0, eq);
    const value = decodeURIComponent(part.slice(eq + 1));
    if (params.has(key)) throw invalid(url, `the parameter '${key}' is given twice`);
    params.set(key, value);
  }

  const useSsl = booleanParam(url, params, "use_ssl");
  const token = params.get("token") ?? null;
  if (token !== null && !useSsl) throw invalid(url, "a token is only sent over TLS: add ;use_ssl=true");
  const sessionId = params.get("session_id") ?? randomUUID();
  if (!UUID.test(sessionId)) throw invalid(url, `the session_id must be a UUID, but it is '${sessionId}'`);
  const maxText = params.get("grpc_max_message_size");
  const maxMessageSize = maxText === undefined ? DEFAULT_MAX_MESSAGE_SIZE : Number(maxText);
  if (!Number.isSafeInteger(maxMessageSize) || maxMessageSize <= 0) throw invalid(url, `grpc_max_message_size must be a positive integer, but it is '${maxText}'`);

  const known = new Set(["token", "use_ssl", "user_id", "user_agent", "session_id", "grpc_max_message_size"]);
  const metadata: Record<string, string> = {};
  for (const [k, v] of params) if (!known.has(k)) metadata[k] = v;
  return Object.freeze({
    host, port, useSsl, token, sessionId, maxMessageSize,
    userId: params.get("user_id") ?? null,
    userAgent: params.get("user_agent") ?? `rivulet/${clientVersion}`,
    metadata: Object.freeze(metadata),
    redacted: redactUrl(url),
  });
}

function hostAndPort(url: string, authority: string): { host: string; port: number } {
  if (authority === "") throw invalid(url, "the host is missing (sc://host:15002)");
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) throw invalid(url, "the IPv6 address lacks its closing ']'");
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== "" && !after.startsWith(":")) throw invalid(url, `unexpected '${after}' after the host`);
    portText = after === "" ? undefined : after.slice(1);
  } else {
    const colon = authority.lastIndexOf(":");
    host = colon < 0 ? authority : authority.slice(0, colon);
    portText = colon < 0 ? undefined : authority.slice(colon + 1);
  }
  if (host === "") throw invalid(url, "the host is missing (sc://host:15002)");
  if (portText === undefined) return { host, port: DEFAULT_CONNECT_PORT };
  if (!/^\d+$/.test(portText)) throw invalid(url, "the port must be a number");
  const port = Number(portText);
  if (port < 1 || port > 65535) throw invalid(url, `the port must be between 1 and 65535, but it is ${port}`);
  return { host, port };
}

function booleanParam(url: string, params: ReadonlyMap<string, string>, key: string): boolean {
  const text = params.get(key);
  if (text === undefined) return false;
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  throw invalid(url, `${key} must be true or false, but it is '${text}'`);
}
