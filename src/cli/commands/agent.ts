import { runAgent } from "../agent.ts";
import { agentSpec } from "./specs.ts";
import type { CliContext } from "../cli-context.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";


export async function agentCommand(argv: readonly string[], ctx: CliContext): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    const { helpText } = await import("../args.ts");
    ctx.stdout.write(helpText(agentSpec));
    return ExitCode.ok;
  }
  const rest = argv.filter((a) => a !== "--verbose" && a !== "-v");
  let agent;
  try {
    agent = await runAgent(rest);
  } catch (error) {
    const message = (error as Error).message;
    // runAgent puts its usage line in argument errors.
    if (/usage: rivulet agent/.test(message)) {
      const [first] = message.split("\n");
      throw new UsageError(first!.startsWith("usage:") ? "--conf-file and --name are required" : first!, `usage: rivulet agent ${agentSpec.usage}`);
    }
    throw error;
  }
  ctx.stderr.write("rivulet agent: running; SIGINT/SIGTERM to stop\n");
  await ctx.shutdown.requested;
  await agent.stop();
  return ExitCode.ok;
}
