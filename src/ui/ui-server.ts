import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { Logger } from "../common/log.ts";
import { prometheusText } from "./prometheus.ts";
import { summary, type QueryStore, type UiEvent } from "./query-store.ts";
import { redactConfig } from "./redact.ts";

const log = new Logger("UiServer");

/** Config keys: the UI's port (0 picks a free one) and the address it listens on. */
export const UI_PORT_KEY = "rivulet.ui.port";
export const UI_HOST_KEY = "rivulet.ui.host";
const DEFAULT_HOST = "127.0.0.1";
/** As Spark's spark.port.maxRetries: a busy port is retried as port+1, port+2, … */
const MAX_PORT_RETRIES = 16;
const HEARTBEAT_MS = 15_000;

const ASSETS: Record<string, string> = {
  "/": "index.html",
  "/index.html": "index.html",
  "/assets/app.js": "app.js",
  "/assets/charts.js": "charts.js",
  "/assets/style.css": "style.css",
};
const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };

/** The assets folder next to this module: src/ui/assets, or dist/src/ui/assets where the build copies it. */
function assetsDir(): string {
  return fileURLToPath(new URL("./assets/", import.meta.url));
}

export interface UiServerOptions {
  readonly store: QueryStore;
  readonly port: number;
  readonly host?: string;
  readonly appName?: string;
  /** The session's configuration, shown with secrets masked. */
  readonly conf?: () => Readonly<Record<string, string>>;
}

/**
 * The web UI: a page of the running and finished queries with live charts (from
 * server-sent events at /events), JSON at /api/queries, and /metrics in the Prometheus
 * text format. Assets come from the package; nothing is loaded from elsewhere.
 */
export class UiServer {
  readonly #server: Server;
  readonly #options: UiServerOptions;
  readonly #assets = new Map<string, string>();
  readonly #streams = new Set<ServerResponse>();
  readonly #unsubscribe: () => void;
  readonly #heartbeat: NodeJS.Timeout;
  #port = 0;
  /** Resolves to the UI's URL once it listens; rejects when no port could be bound. */
  readonly ready: Promise<string>;

  /** @internal The UI is started by the session (`rivulet.ui.port`) or the CLI (`--ui`). */
  constructor(options: UiServerOptions) {
    this.#options = options;
    const dir = assetsDir();
    for (const file of new Set(Object.values(ASSETS))) this.#assets.set(file, readFileSync(dir + file, "utf8"));
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#unsubscribe = options.store.subscribe((e) => this.#broadcast(e));
    this.#heartbeat = setInterval(() => { for (const s of this.#streams) s.write(": heartbeat\n\n"); }, HEARTBEAT_MS);
    this.#heartbeat.unref();
    this.ready = this.#listen(options.port, options.host ?? DEFAULT_HOST);
    this.ready.catch(() => undefined); // the caller decides whether a UI that cannot listen is fatal
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    const host = this.#options.host ?? DEFAULT_HOST;
    return `http://${host.includes(":") ? `[${host}]` : host}:${this.#port}`;
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    clearInterval(this.#heartbeat);
    for (const s of this.#streams) s.end();
    this.#streams.clear();
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  async #listen(port: number, host: string): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const tryPort = port === 0 ? 0 : port + attempt;
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (e: Error): void => { this.#server.off("listening", onListening); reject(e); };
          const onListening = (): void => { this.#server.off("error", onError); resolve(); };
          this.#server.once("error", onError);
          this.#server.once("listening", onListening);
          this.#server.listen(tryPort, host);
        });
        const address = this.#server.address();
        this.#port = typeof address === "object" && address !== null ? address.port : tryPort;
        return this.url;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== "EADDRINUSE" || port === 0 || attempt >= MAX_PORT_RETRIES) throw e;
        log.warn(`port ${tryPort} is in use; trying ${tryPort + 1}`);
      }
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return this.#send(res, 405, "text/plain", "method not allowed\n");
      const path = new URL(req.url ?? "/", "http://ui").pathname;
      const asset = ASSETS[path];
      if (asset !== undefined) return this.#send(res, 200, TYPES[asset.split(".").pop()!]!, this.#assets.get(asset)!);
      if (path === "/metrics") return this.#send(res, 200, "text/plain; version=0.0.4; charset=utf-8", prometheusText(this.#options.store.list()));
      if (path === "/api/queries") {
        return this.#json(res, 200, { appName: this.#options.appName ?? "rivulet", queries: this.#options.store.list().map(summary) });
      }
      if (path.startsWith("/api/queries/")) {
        const q = this.#options.store.get(decodeURIComponent(path.slice("/api/queries/".length)));
        return q === null ? this.#json(res, 404, { error: "no such query" }) : this.#json(res, 200, q);
      }
      if (path === "/api/config") return this.#json(res, 200, redactConfig(this.#options.conf?.() ?? {}));
      if (path === "/events") return this.#events(req, res);
      this.#send(res, 404, "text/plain", "not found\n");
    } catch (e) {
      log.warn(`UI request ${req.url} failed: ${(e as Error).message}`);
      if (!res.headersSent) this.#send(res, 500, "text/plain", "internal error\n");
    }
  }

  #events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.write("retry: 2000\n\n");
    res.write(`event: snapshot\ndata: ${JSON.stringify(this.#options.store.list().map(summary))}\n\n`);
    this.#streams.add(res);
    req.on("close", () => this.#streams.delete(res));
  }

  #broadcast(e: UiEvent): void {
    const text = `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`;
    for (const s of this.#streams) s.write(text);
  }

  #json(res: ServerResponse, status: number, body: unknown): void {
    this.#send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
  }

  #send(res: ServerResponse, status: number, type: string, body: string): void {
    res.writeHead(status, { "content-type": type, "cache-control": "no-store", "x-content-type-options": "nosniff" });
    res.end(res.req.method === "HEAD" ? undefined : body);
  }
}
