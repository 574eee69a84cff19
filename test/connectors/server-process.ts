import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, afterEach } from "vitest";
import { waitFor } from "../wait-for.ts";

/** A port nothing listens on at this moment, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A test's own server process (nats-server, redis-server on a port of its own) that a test
 * stops and starts again under a running query. Killed after each test of the file, whatever
 * happened.
 */
export class ServerProcess {
  #process: ChildProcess | null = null;

  /** `isUp` answers whether the server accepts clients yet; `what` names it in a timeout. */
  constructor(readonly command: string, readonly what: string) {
    afterEach(() => this.#kill());
    afterAll(() => this.#kill());
  }

  async start(args: readonly string[], isUp: () => Promise<boolean>): Promise<void> {
    this.#process = spawn(this.command, args, { stdio: "ignore" });
    await waitFor(isUp, (up) => up, `the private ${this.what} to accept connections`, 15_000, 50);
  }

  /** Stops it with `signal` (SIGTERM: a clean shutdown; SIGKILL: a crash) and waits for the exit. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const running = this.#process!;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill(signal);
    await exited;
    this.#process = null;
  }

  #kill(): void {
    this.#process?.kill("SIGKILL");
    this.#process = null;
  }
}
