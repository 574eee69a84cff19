import { Agent } from "../flume/agent/agent.ts";
import { isEntryPoint } from "./entry-point.ts";

const USAGE = "usage: rivulet agent --conf-file <agent.properties> --name <agent name>";

/**
 * `rivulet agent --conf-file f --name a1` (Flume's `flume-ng agent -f f -n a1`): starts
 * the agent and returns it; the caller stops it. `--conf`/`-c` is accepted and ignored.
 */
export async function runAgent(argv: readonly string[]): Promise<Agent> {
  let confFile: string | undefined;
  let name: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--conf-file" || a === "-f") confFile = value();
    else if (a === "--name" || a === "-n") name = value();
    else if (a === "--conf" || a === "-c") value();
    else if (a.startsWith("--conf-file=")) confFile = a.slice("--conf-file=".length);
    else if (a.startsWith("--name=")) name = a.slice("--name=".length);
    else throw new Error(`unknown argument '${a}'\n${USAGE}`);
  }
  if (confFile === undefined || name === undefined) throw new Error(USAGE);
  const agent = await Agent.fromFile(confFile, name);
  await agent.start();
  return agent;
}


if (isEntryPoint(import.meta.url)) {
  runAgent(process.argv.slice(2)).then((agent) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      agent.stop().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exit(1); });
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  }, (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
