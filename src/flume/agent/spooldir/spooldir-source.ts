import { readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { TextDecoder } from "node:util";
import { basename, isAbsolute, join, resolve } from "node:path";
import { errorCode } from "../../../common/atomic-file.ts";
import { ConnectorError } from "../../../common/errors.ts";
import { Logger } from "../../../common/log.ts";
import type { FlumeEvent } from "../../protocol/flume-protocols.ts";
import type { ComponentParams } from "../agent-config.ts";
import { ChannelFullError, type Channel } from "../channel.ts";
import { wholeMatch, type AgentComponent } from "../component.ts";
import { LineReader, type ReadLine } from "./line-reader.ts";
import { PositionTracker } from "./position-tracker.ts";

const log = new Logger("rivulet.flume.spooldir");

/** Flume's spooldir options, with Flume's defaults. */
export interface SpoolDirOptions {
  readonly spoolDir: string;
  readonly fileSuffix: string;
  readonly deletePolicy: "never" | "immediate";
  readonly fileHeader: boolean;
  readonly fileHeaderKey: string;
  readonly basenameHeader: boolean;
  readonly basenameHeaderKey: string;
  readonly includePattern: string;
  readonly ignorePattern: string;
  readonly trackerDir: string;
  readonly consumeOrder: "oldest" | "youngest" | "random";
  readonly batchSize: number;
  readonly inputCharset: string;
  readonly maxLineLength: number;
  readonly pollDelay: number;
  readonly maxBackoff: number;
}

export function spoolDirOptionsOf(params: ComponentParams): SpoolDirOptions {
  const spoolDir = resolve(params.required("spoolDir"));
  const trackerDir = params.string("trackerDir", ".flumespool");
  const deserializer = params.string("deserializer", "LINE");
  if (deserializer.toUpperCase() !== "LINE") throw new ConnectorError(`${params.where}.deserializer: only LINE is supported, not '${deserializer}'`);
  if (params.boolean("recursiveDirectorySearch", false)) throw new ConnectorError(`${params.where}.recursiveDirectorySearch = true is not supported`);
  const options: SpoolDirOptions = {
    spoolDir,
    fileSuffix: params.string("fileSuffix", ".COMPLETED"),
    deletePolicy: params.oneOf("deletePolicy", ["never", "immediate"] as const, "never"),
    fileHeader: params.boolean("fileHeader", false),
    fileHeaderKey: params.string("fileHeaderKey", "file"),
    basenameHeader: params.boolean("basenameHeader", false),
    basenameHeaderKey: params.string("basenameHeaderKey", "basename"),
    includePattern: params.string("includePattern", "^.*$"),
    ignorePattern: params.string("ignorePattern", "^$"),
    trackerDir: isAbsolute(trackerDir) ? trackerDir : join(spoolDir, trackerDir),
    consumeOrder: params.oneOf("consumeOrder", ["oldest", "youngest", "random"] as const, "oldest"),
    batchSize: params.int("batchSize", 100, 1),
    inputCharset: params.string("inputCharset", "UTF-8"),
    maxLineLength: params.int("deserializer.maxLineLength", 2048, 1),
    pollDelay: params.int("pollDelay", 500, 1),
    maxBackoff: params.int("maxBackoff", 4000, 1),
  };
  try {
    wholeMatch(options.includePattern);
    wholeMatch(options.ignorePattern);
    new TextDecoder(options.inputCharset);
  } catch (error) {
    throw new ConnectorError(`${params.where}: ${(error as Error).message}`, { cause: error });
  }
  return options;
}

interface CurrentFile {
  readonly path: string;
  readonly reader: LineReader;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * Flume's spooling-directory source: reads each file in the directory line by line into
 * its channels, batch by batch. A batch's position is recorded only after the channel
 * committed it, and a file is renamed (or deleted) only after all its events are
 * committed, so a crash re-reads at most the last batch (at-least-once). Files must be
 * immutable once in the directory and names must not be reused: either is an error that
 * names the file and stops the source, as in Flume.
 */
export class SpoolDirSource implements AgentComponent {
  readonly #tracker: PositionTracker;
  readonly #include: RegExp;
  readonly #ignore: RegExp;
  readonly #decoder: TextDecoder;
  readonly #utf8: boolean;
  #current: CurrentFile | null = null;
  #pending: { events: FlumeEvent[]; end: number } | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;
  #wake: (() => void) | null = null;
  /** Set when the source stopped on an error (a modified or reused file…). */
  failure: Error | null = null;
  eventsRead = 0;
  filesCompleted = 0;

  constructor(readonly name: string, readonly options: SpoolDirOptions, readonly channels: readonly Channel[]) {
    this.#tracker = new PositionTracker(join(options.trackerDir, ".flumespool-main.meta"));
    this.#include = wholeMatch(options.includePattern);
    this.#ignore = wholeMatch(options.ignorePattern);
    this.#decoder = new TextDecoder(options.inputCharset);
    this.#utf8 = this.#decoder.encoding === "utf-8";
  }

  async start(): Promise<void> {
    const s = await stat(this.options.spoolDir).catch(() => null);
    if (s === null || !s.isDirectory()) throw new ConnectorError(`spooldir source ${this.name}: spoolDir ${this.options.spoolDir} is not a directory`);
    this.#stopped = false;
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#running;
    await this.#current?.reader.close();
    this.#current = null;
  }

  async #run(): Promise<void> {
    let backoff = 0;
    while (!this.#stopped) {
      try {
        const progressed = await this.#step();
        backoff = 0;
        if (!progressed) await this.#sleep(this.options.pollDelay);
      } catch (error) {
        if (error instanceof ChannelFullError) {
          backoff = Math.min(Math.max(250, backoff * 2), this.options.maxBackoff);
          log.warn(`spooldir source ${this.name}: the channel is full, and cannot write data now; trying again in ${backoff} ms (${error.message})`);
          await this.#sleep(backoff);
          continue;
        }
        this.failure = error as Error;
        log.error(`spooldir source ${this.name}: ${(error as Error).message}. The source stopped reading; fix the spool directory and restart the agent.`);
        return;
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => { this.#wake = null; resolve(); }, ms);
      this.#wake = () => { clearTimeout(timer); this.#wake = null; resolve(); };
    });
  }

  /** One batch into the channels, or a file completed; false when there was nothing to do. */
  async #step(): Promise<boolean> {
    if (this.#current === null) {
      this.#current = await this.#openNext();
      if (this.#current === null) return false;
    }
    const current = this.#current;
    if (this.#pending === null) {
      const lines = await current.reader.read(this.options.batchSize);
      if (lines.length === 0) {
        await this.#complete(current);
        this.#current = null;
        return true;
      }
      this.#pending = { events: lines.map((l) => this.#event(current.path, l)), end: lines[lines.length - 1]!.end };
    }
    const batch = this.#pending;
    for (const channel of this.channels) {
      const tx = channel.transaction();
      try {
        for (const e of batch.events) tx.put(e);
        await tx.commit();
      } catch (error) {
        await tx.rollback();
        throw error;
      }
    }
    await this.#tracker.save({ file: current.path, position: batch.end, size: current.size, mtimeMs: current.mtimeMs });
    this.eventsRead += batch.events.length;
    this.#pending = null;
    return true;
  }

  #event(path: string, line: ReadLine): FlumeEvent {
    const headers: Record<string, string> = {};
    if (this.options.fileHeader) headers[this.options.fileHeaderKey] = path;
    if (this.options.basenameHeader) headers[this.options.basenameHeaderKey] = basename(path);
    const body = this.#utf8 ? Buffer.from(line.bytes) : Buffer.from(this.#decoder.decode(line.bytes), "utf8");
    return { headers, body };
  }

  async #candidates(): Promise<{ path: string; mtimeMs: number; size: number }[]> {
    const entries = await readdir(this.options.spoolDir, { withFileTypes: true });
    const out: { path: string; mtimeMs: number; size: number }[] = [];
    for (const e of entries) {
      const name = e.name;
      if (!e.isFile() || name.startsWith(".") || name.endsWith(this.options.fileSuffix)) continue;
      if (!this.#include.test(name) || this.#ignore.test(name)) continue;
      const path = join(this.options.spoolDir, name);
      const s = await stat(path).catch(() => null);
      if (s !== null) out.push({ path, mtimeMs: s.mtimeMs, size: s.size });
    }
    switch (this.options.consumeOrder) {
      case "oldest": return out.sort((a, b) => a.mtimeMs - b.mtimeMs || a.path.localeCompare(b.path));
      case "youngest": return out.sort((a, b) => b.mtimeMs - a.mtimeMs || a.path.localeCompare(b.path));
      case "random": return out.sort(() => Math.random() - 0.5);
    }
  }

  async #openNext(): Promise<CurrentFile | null> {
    const candidates = await this.#candidates();
    const tracked = await this.#tracker.load();
    let start = 0;
    let chosen = candidates[0];
    if (tracked !== null) {
      const resumed = candidates.find((c) => c.path === tracked.file);
      if (resumed === undefined) {
        await this.#tracker.clear(); // its file was completed (or removed) before the tracker was
      } else {
        if (resumed.size !== tracked.size || resumed.mtimeMs !== tracked.mtimeMs) {
          throw new ConnectorError(`File has been modified since being read: ${resumed.path}`);
        }
        chosen = resumed;
        start = tracked.position;
        log.info(`spooldir source ${this.name}: resuming ${resumed.path} at byte ${start}`);
      }
    }
    if (chosen === undefined) return null;
    log.info(`spooldir source ${this.name}: reading ${chosen.path}`);
    return { path: chosen.path, reader: new LineReader(chosen.path, start, this.options.maxLineLength, this.#decoder), size: chosen.size, mtimeMs: chosen.mtimeMs };
  }

  /** All of the file's events are committed: mark it done (Flume's rollCurrentFile / deleteCurrentFile). */
  async #complete(current: CurrentFile): Promise<void> {
    await current.reader.close();
    const now = await stat(current.path);
    if (now.size !== current.size || now.mtimeMs !== current.mtimeMs) {
      throw new ConnectorError(`File has been modified since being read: ${current.path}`);
    }
    if (this.options.deletePolicy === "immediate") {
      await unlink(current.path);
    } else {
      const done = current.path + this.options.fileSuffix;
      const existing = await readFile(done).catch((e: unknown) => (errorCode(e) === "ENOENT" ? null : Promise.reject(e)));
      if (existing !== null) {
        if (!existing.equals(await readFile(current.path))) {
          throw new ConnectorError(`File name has been re-used with different files. Spooling assumptions violated for ${done}`);
        }
        log.warn(`spooldir source ${this.name}: completed file ${done} already exists, but files match, so continuing`);
        await unlink(current.path);
      } else {
        await rename(current.path, done);
      }
    }
    await this.#tracker.clear();
    this.filesCompleted++;
    log.info(`spooldir source ${this.name}: completed ${current.path}`);
  }
}
