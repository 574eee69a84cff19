import { createRequire } from "node:module";
import { InternalError } from "../common/errors.ts";
import type { ConnectionString } from "../connect/connection-string.ts";
import type { Session } from "./session.ts";
import type { SessionBackend } from "./session-backend.ts";

type RemoteBackendFactory = (session: Session, connection: ConnectionString) => SessionBackend;

let factory: RemoteBackendFactory | null = null;

/** Called by `connect/remote-session-backend.ts` when it loads. */
export function registerRemoteBackend(make: RemoteBackendFactory): void {
  factory ??= make;
}

/**
 * The Spark Connect backend of a remote session, loaded at the first `remote(url)` session
 * rather than when rivulet is imported: its generated protobuf code and gRPC client cost
 * ~0.1 s that a local session never needs. The load is synchronous, so `getOrCreate()`
 * stays synchronous: Node (>= 20.19, the package's engines) requires ES modules. Where the
 * module was already imported (the TypeScript sources under vitest, whose setup imports it)
 * it has registered itself and nothing is loaded here.
 */
export function remoteBackend(session: Session, connection: ConnectionString): SessionBackend {
  if (factory === null) createRequire(import.meta.url)("../connect/remote-session-backend.js");
  if (factory === null) throw new InternalError("the Spark Connect backend did not register itself when loaded");
  return factory(session, connection);
}
