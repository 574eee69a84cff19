import { readFile } from "node:fs/promises";
import { ConnectorError } from "../../common/errors.ts";
import { Logger } from "../../common/log.ts";
import { agentConfigOf, type AgentConfig, type ComponentConfig } from "./agent-config.ts";
import { AvroSink, avroSinkOptionsOf } from "./avro-sink.ts";
import type { Channel } from "./channel.ts";
import type { AgentComponent } from "./component.ts";
import { FileChannel } from "./file-channel.ts";
import { MemoryChannel } from "./memory-channel.ts";
import { parseProperties } from "./properties.ts";
import { SparkSink, sparkSinkOptionsOf } from "./spark-sink.ts";
import { SpoolDirSource, spoolDirOptionsOf } from "./spooldir/spooldir-source.ts";

const log = new Logger("rivulet.flume.agent");

/** Component types, by Flume's short names and full class names. */
const SOURCE_TYPES = ["spooldir", "org.apache.flume.source.SpoolDirectorySource"];
const MEMORY_CHANNEL_TYPES = ["memory", "org.apache.flume.channel.MemoryChannel"];
const FILE_CHANNEL_TYPES = ["file", "org.apache.flume.channel.file.FileChannel"];
const AVRO_SINK_TYPES = ["avro", "org.apache.flume.sink.AvroSink"];
const SPARK_SINK_TYPES = ["org.apache.spark.streaming.flume.sink.SparkSink", "spark"];

const is = (types: readonly string[], type: string): boolean => types.some((t) => t.toLowerCase() === type.toLowerCase());

/**
 * rivulet's Flume agent: sources, channels and sinks from Flume's properties format.
 * Channels start first and stop last, so that no event is put or taken without one.
 */
export class Agent {
  /** @internal */
  readonly channels: ReadonlyMap<string, Channel>;
  /** @internal */
  readonly sources: readonly AgentComponent[];
  /** @internal */
  readonly sinks: readonly AgentComponent[];
  #started = false;

  /** @internal Agents are made by `Agent.fromFile` / `Agent.fromProperties`. */
  constructor(/** @internal */ readonly config: AgentConfig) {
    const channels = new Map<string, Channel>();
    for (const c of config.channels) channels.set(c.name, createChannel(c));
    this.channels = channels;
    const channelOf = (name: string): Channel => channels.get(name)!;
    this.sources = config.sources.map((c) => createSource(c, c.channels.map(channelOf)));
    this.sinks = config.sinks.map((c) => createSink(c, channelOf(c.channels[0]!)));
  }

  static fromProperties(text: string, name: string): Agent {
    return new Agent(agentConfigOf(parseProperties(text), name));
  }

  static async fromFile(path: string, name: string): Promise<Agent> {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new ConnectorError(`cannot read the agent configuration ${path}: ${(error as Error).message}`, { cause: error });
    }
    return Agent.fromProperties(text, name);
  }

  async start(): Promise<void> {
    for (const c of this.channels.values()) await c.start();
    for (const s of this.sinks) await s.start();
    for (const s of this.sources) await s.start();
    this.#started = true;
    log.info(`agent ${this.config.name} started: sources ${names(this.config.sources)}, channels ${names(this.config.channels)}, sinks ${names(this.config.sinks)}`);
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    for (const s of this.sources) await s.stop();
    for (const s of this.sinks) await s.stop();
    for (const c of this.channels.values()) await c.stop();
    log.info(`agent ${this.config.name} stopped`);
  }
}

function names(cs: readonly ComponentConfig[]): string {
  return cs.map((c) => `${c.name} (${c.type})`).join(", ") || "none";
}

function createChannel(c: ComponentConfig): Channel {
  if (is(MEMORY_CHANNEL_TYPES, c.type)) return MemoryChannel.fromParams(c.name, c.params);
  if (is(FILE_CHANNEL_TYPES, c.type)) return FileChannel.fromParams(c.name, c.params);
  throw new ConnectorError(`${c.params.where}.type: unknown channel type '${c.type}' (rivulet's agent has memory and file)`);
}

function createSource(c: ComponentConfig, channels: Channel[]): AgentComponent {
  if (is(SOURCE_TYPES, c.type)) return new SpoolDirSource(c.name, spoolDirOptionsOf(c.params), channels);
  throw new ConnectorError(`${c.params.where}.type: unknown source type '${c.type}' (rivulet's agent has spooldir)`);
}

function createSink(c: ComponentConfig, channel: Channel): AgentComponent {
  if (is(AVRO_SINK_TYPES, c.type)) return new AvroSink(c.name, avroSinkOptionsOf(c.params), channel);
  if (is(SPARK_SINK_TYPES, c.type)) return new SparkSink(c.name, sparkSinkOptionsOf(c.params), channel);
  throw new ConnectorError(`${c.params.where}.type: unknown sink type '${c.type}' (rivulet's agent has avro and ${SPARK_SINK_TYPES[0]})`);
}
