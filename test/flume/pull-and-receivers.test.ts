import { afterEach, describe, expect, it } from "vitest";
import { RuntimeConfig } from "../../src/common/config.ts";
import { fromRecordBatch } from "../../src/columnar/arrow-convert.ts";
import { batchToRows } from "../../src/columnar/values.ts";
import { resolveSourceProvider } from "../../src/connectors/sources/index.ts";
import { attachReceiver } from "../../src/dstream/receiver.ts";
import { Agent } from "../../src/flume/agent/agent.ts";
import type { SparkSink } from "../../src/flume/agent/spark-sink.ts";
import { FlumePollingReceiver, FlumePushReceiver, type SparkFlumeEvent } from "../../src/flume/dstream/flume-receivers.ts";
import { AVRO_SOURCE_PROTOCOL, SPARK_FLUME_PROTOCOL, type EventBatch } from "../../src/flume/protocol/flume-protocols.ts";
import { RemoteProtocols } from "../../src/flume/protocol/handshake.ts";
import { AvroRpcClient } from "../../src/flume/rpc/avro-rpc-client.ts";
import { freePort, until } from "./helpers.ts";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pullAgent(port: number, timeoutS = 60): Promise<Agent> {
  const agent = Agent.fromProperties([
    "a1.channels = c1", "a1.sinks = k1", "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 100",
    "a1.sinks.k1.type = org.apache.spark.streaming.flume.sink.SparkSink", "a1.sinks.k1.channel = c1",
    "a1.sinks.k1.hostname = 127.0.0.1", `a1.sinks.k1.port = ${port}`, `a1.sinks.k1.timeout = ${timeoutS}`, "a1.sinks.k1.backoffInterval = 20",
  ].join("\n"), "a1");
  await agent.start();
  cleanups.push(() => agent.stop());
  return agent;
}

async function put(agent: Agent, bodies: string[]): Promise<void> {
  const tx = agent.channels.get("c1")!.transaction();
  for (const b of bodies) tx.put({ headers: { b }, body: Buffer.from(b) });
  await tx.commit();
}

function fakeHost<T>(receiver: FlumePushReceiver | FlumePollingReceiver, stored: T[]): void {
  attachReceiver(receiver as never, {
    streamId: 0, store: (x: T) => { stored.push(x); }, restart: () => undefined, reportError: () => undefined,
    stop: () => undefined, isStarted: () => true, isStopped: () => false,
  });
}

describe("pull mode: the agent's Spark sink (SparkFlumeProtocol)", () => {
  it("commits a batch on ack, rolls it back on nack and when no ack comes in time", async () => {
    const port = await freePort();
    const agent = await pullAgent(port, 1);
    const channel = agent.channels.get("c1")!;
    const c = await AvroRpcClient.connect({ host: "127.0.0.1", port, protocol: SPARK_FLUME_PROTOCOL, compression: "none", remoteProtocols: new RemoteProtocols() });
    cleanups.push(() => c.close());
    const empty = (await c.request("getEventBatch", { n: 10 })) as EventBatch;
    expect(empty.errorMsg).toMatch(/did not get any events/);
    await put(agent, ["a", "b", "c"]);
    const b1 = (await c.request("getEventBatch", { n: 2 })) as EventBatch;
    expect(b1.events.map((e) => e.body.toString())).toEqual(["a", "b"]);
    expect(channel.size).toBe(1);
    expect(await c.request("nack", { sequenceNumber: b1.sequenceNumber })).toBeNull();
    expect(channel.size).toBe(3);
    const b2 = (await c.request("getEventBatch", { n: 2 })) as EventBatch;
    expect(b2.events.map((e) => e.body.toString())).toEqual(["a", "b"]);
    await c.request("ack", { sequenceNumber: b2.sequenceNumber });
    const b3 = (await c.request("getEventBatch", { n: 5 })) as EventBatch;
    expect(b3.events.map((e) => e.body.toString())).toEqual(["c"]);
    await until(() => channel.size, (n) => n === 1, 3000, "the unacked batch to be rolled back");
  });

  it("format(\"flume-polling\") pulls, buffers and acks", async () => {
    const port = await freePort();
    const agent = await pullAgent(port);
    await put(agent, ["x", "y"]);
    const source = resolveSourceProvider("flume-polling", { addresses: `127.0.0.1:${port}`, pollInterval: "20" }, [], null, false)
      .createSource({ metadataPath: null, conf: new RuntimeConfig(), bounded: false });
    cleanups.push(() => source.stop());
    const end = await until(() => source.latestOffset(null), (o) => o === 2, 5000, "two events pulled");
    const rows = (await source.getBatch(null, end!)).flatMap((b) => batchToRows(fromRecordBatch(b)));
    expect(rows.map((r) => Buffer.from(r.body as Uint8Array).toString())).toEqual(["x", "y"]);
    await until(() => agent.channels.get("c1")!.size, (n) => n === 0);
    expect(() => resolveSourceProvider("flume-polling", { addresses: "nohost" }, [], null, false)).toThrow(/not host:port/);
  });
});

describe("FlumeUtils receivers (DStreams)", () => {
  it("createStream's receiver stores pushed events as { headers, body }", async () => {
    const port = await freePort();
    const receiver = new FlumePushReceiver("127.0.0.1", port);
    const stored: SparkFlumeEvent[] = [];
    fakeHost(receiver, stored);
    await receiver.onStart();
    cleanups.push(() => receiver.onStop());
    const c = await AvroRpcClient.connect({ host: "127.0.0.1", port, protocol: AVRO_SOURCE_PROTOCOL, compression: "none" });
    cleanups.push(() => c.close());
    expect(await c.request("appendBatch", { events: [{ headers: { h: "1" }, body: Buffer.from("hi") }] })).toBe("OK");
    expect(stored).toEqual([{ headers: { h: "1" }, body: Buffer.from("hi") }]);
  });

  it("createPollingStream's receiver pulls from a Spark sink and acks", async () => {
    const port = await freePort();
    const agent = await pullAgent(port);
    await put(agent, ["p", "q", "r"]);
    const receiver = new FlumePollingReceiver([{ host: "127.0.0.1", port }], 2, 20);
    const stored: SparkFlumeEvent[] = [];
    fakeHost(receiver, stored);
    receiver.onStart();
    cleanups.push(() => receiver.onStop());
    await until(() => stored.length, (n) => n === 3, 5000, "three events");
    expect(stored.map((e) => e.body.toString())).toEqual(["p", "q", "r"]);
    expect((agent.sinks[0] as SparkSink).port).toBe(port);
    await until(() => agent.channels.get("c1")!.size, (n) => n === 0);
  });
});
