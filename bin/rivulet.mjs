#!/usr/bin/env node
// The `rivulet` command: runs src/cli/main.ts through tsx (no build step needed).
import { register } from "tsx/esm/api";

register();
const { cli } = await import("../src/cli/main.ts");
await cli(process.argv.slice(2));
