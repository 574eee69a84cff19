#!/usr/bin/env node
// The `rivulet` command: the built JavaScript in dist/, run by plain node (`npm pack` builds
// it; in a clone of the repository run `npm run build` first, or `npx tsx src/cli/main.ts`).
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
let main;
try {
  main = await import(entry.href);
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes(fileURLToPath(entry))) throw error;
  process.stderr.write("rivulet: dist/ is not built: run `npm run build` (or `npx tsx src/cli/main.ts …` from the sources)\n");
  process.exit(1);
}
await main.cli(process.argv.slice(2));
