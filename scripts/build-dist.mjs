#!/usr/bin/env node
// `npm run build` (and `npm pack`, through prepack): compiles src/ and grammar/ into a clean
// dist/ with tsc, then finishes what tsc leaves undone for a published package:
// - declaration files keep the sources' `.ts` import extensions (tsc rewrites them in the
//   JavaScript only: microsoft/TypeScript#61037), so they are rewritten to `.js` here;
// - the web UI's assets are copied next to the built module that serves them.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

// A relative specifier ending in .ts, in `from "…"`, `import "…"` or `import("…")`.
const RELATIVE_TS = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"'\n]*?)\.ts\2/g;
const LEFTOVER = /(["'])\.\.?\/[^"'\n]*\.ts\1/;
for (const file of declarationFiles(dist)) {
  const text = readFileSync(file, "utf8");
  const rewritten = text.replace(RELATIVE_TS, "$1$2$3.js$2");
  const leftover = LEFTOVER.exec(rewritten);
  if (leftover !== null) throw new Error(`${file}: a .ts specifier the build does not rewrite: ${leftover[0]}`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}

cpSync(join(root, "src/ui/assets"), join(dist, "src/ui/assets"), { recursive: true });

function* declarationFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* declarationFiles(path);
    else if (entry.name.endsWith(".d.ts")) yield path;
  }
}
