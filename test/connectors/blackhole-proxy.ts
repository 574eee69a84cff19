import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that can make the server vanish the way a
 * network partition or a crashed host does: `blackhole()` stops all traffic on the open
 * connections without closing them (the client hears nothing, not even a reset) and holds
 * new ones silent; `forward()` forwards new connections again, while the blackholed ones
 * stay dead. A client without timeouts waits on a blackholed connection for ever.
 */
export class BlackholeProxy {
  #forwarding = true;
  readonly #pairs = new Set<{ client: Socket; upstream: Socket | null }>();
  readonly #held = new Set<Socket>();

  private constructor(readonly server: Server, readonly port: number, readonly targetPort: number) {}

  static async start(targetPort: number): Promise<BlackholeProxy> {
    let proxy: BlackholeProxy | null = null;
    const server = createServer((client) => proxy!.#accept(client));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    proxy = new BlackholeProxy(server, (server.address() as { port: number }).port, targetPort);
    return proxy;
  }

  #accept(client: Socket): void {
    client.on("error", () => {});
    if (!this.#forwarding) {
      this.#hold(client);
      return;
    }
    const upstream = connect(this.targetPort, "127.0.0.1");
    upstream.on("error", () => client.destroy());
    const pair = { client, upstream };
    this.#pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => { this.#pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on("close", drop);
    upstream.on("close", drop);
  }

  /** Keeps the client's connection open, reading and dropping whatever it sends. */
  #hold(client: Socket): void {
    client.removeAllListeners("close");
    client.unpipe();
    client.on("data", () => {});
    this.#held.add(client);
  }

  blackhole(): void {
    this.#forwarding = false;
    for (const pair of [...this.#pairs]) {
      this.#pairs.delete(pair);
      pair.upstream?.unpipe();
      pair.upstream?.removeAllListeners("close");
      pair.upstream?.destroy();
      this.#hold(pair.client);
    }
  }

  forward(): void {
    this.#forwarding = true;
  }

  async close(): Promise<void> {
    for (const s of this.#held) s.destroy();
    for (const { client, upstream } of this.#pairs) { client.destroy(); upstream?.destroy(); }
    await new Promise((resolve) => this.server.close(resolve));
  }
}
