import type { ComponentParams } from "./agent-config.ts";
import { QueueChannel, type ChannelEntry } from "./channel.ts";

/** Flume's `memory` channel: fast, lost when the agent dies. Defaults as Flume's: capacity 100, transactionCapacity 100. */
export class MemoryChannel extends QueueChannel {
  static fromParams(name: string, params: ComponentParams): MemoryChannel {
    const capacity = params.int("capacity", 100, 1);
    return new MemoryChannel(name, capacity, Math.min(params.int("transactionCapacity", 100, 1), capacity));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  protected async persist(_puts: readonly ChannelEntry[], _takes: readonly ChannelEntry[]): Promise<void> {}
}
