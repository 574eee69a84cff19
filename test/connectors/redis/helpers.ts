import { createClient } from "redis";

/** The shared Redis server the tests run against (never restarted by them). */
export const REDIS_URL = "redis://127.0.0.1:6379";

let counter = 0;
/** A key no other test (or concurrent run) uses. */
export function uniqueKey(prefix: string): string {
  return `rivulet-test:${prefix}:${process.pid}:${++counter}`;
}

/** A producer with node-redis: XADDs entries, reads streams back, and removes the keys it was given. */
export class RedisTestClient {
  readonly #keys = new Set<string>();
  readonly #queryIds = new Set<string>();
  private constructor(readonly client: ReturnType<typeof createClient>) {}

  static async open(): Promise<RedisTestClient> {
    return new RedisTestClient(await createClient({ url: REDIS_URL }).connect());
  }

  /** Keys (and the commit markers of these query ids) to delete at the end. */
  track(...keys: string[]): void { for (const k of keys) this.#keys.add(k); }
  trackQuery(id: string): void { this.#queryIds.add(id); }

  async add(key: string, fields: Record<string, string>): Promise<string> {
    this.#keys.add(key);
    return this.client.xAdd(key, "*", fields);
  }

  async entries(key: string): Promise<{ id: string; fields: Record<string, string> }[]> {
    return (await this.client.xRange(key, "-", "+")).map((e) => ({ id: e.id, fields: { ...e.message } as Record<string, string> }));
  }

  async close(): Promise<void> {
    const keys = [...this.#keys];
    for (const id of this.#queryIds) keys.push(...(await this.client.keys(`rivulet:commit:${id}:*`)));
    if (keys.length > 0) await this.client.del(keys);
    await this.client.quit();
  }
}
