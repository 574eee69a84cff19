// Importing rivulet loads no Spark Connect module (generated protobuf code, gRPC client); the
// first remote session loads them, synchronously, and its DataFrames build their plans.
import { register } from "node:module";

const loaded = [];
const channel = new MessageChannel();
channel.port1.on("message", (url) => loaded.push(url));
channel.port1.unref();
register("data:text/javascript," + encodeURIComponent(`
let port;
export function initialize(data) { port = data.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }
`), { parentURL: import.meta.url, data: { port: channel.port2 }, transferList: [channel.port2] });

const connectModules = () => loaded.filter((u) => /\/dist\/src\/connect\/|@connectrpc|@bufbuild/.test(u)).map((u) => u.replace(/^.*\/node_modules\//, ""));

const { Session } = await import("rivulet");
await new Promise((resolve) => setTimeout(resolve, 50)); // the hook thread's messages arrive
const atImport = connectModules().filter((u) => !u.endsWith("/connect/connection-string.js"));
const spark = Session.builder().remote("sc://127.0.0.1:15002").getOrCreate();
const df = spark.range(3).filter("id > 0");
const { toConnectPlan } = await import("rivulet/connect");
console.log(JSON.stringify({ atImport, plan: toConnectPlan(df) }));
