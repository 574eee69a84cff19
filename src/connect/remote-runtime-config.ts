import { RuntimeConfig } from "../common/config.ts";
import { localOnly } from "./unsupported.ts";

/**
 * `spark.conf` of a remote session: `spark.*` settings go to the server (a Config set,
 * sent before the next call that needs the server); `rivulet.*` settings steer this
 * process's engine, which a remote session does not use, so they are refused.
 */
export class RemoteRuntimeConfig extends RuntimeConfig {
  #pending: [string, string][] = [];

  override set(key: string, value: string | number | boolean): void {
    if (key.toLowerCase().startsWith("rivulet.")) throw localOnly(`the setting ${key}`);
    super.set(key, value);
    this.#pending.push([key, String(value)]);
  }

  /** The settings not yet sent, in the order they were set; sending them empties the list. */
  takePending(): [string, string][] {
    const pending = this.#pending;
    this.#pending = [];
    return pending;
  }
}
