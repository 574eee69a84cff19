import { open, type FileHandle } from "node:fs/promises";
import { TextDecoder } from "node:util";

/** A line of a spooled file and the byte position just after it (where reading resumes). */
export interface ReadLine {
  readonly bytes: Buffer;
  readonly end: number;
}

const NEWLINE = 0x0a;

/**
 * Flume's LINE deserializer over a file from a byte position: lines end at '\n' (which is
 * not part of the event); a line longer than `maxLineLength` characters is cut there and
 * its rest becomes the next event, as Flume does. Positions are bytes, so reading can
 * resume exactly where the last committed batch ended.
 */
export class LineReader {
  #handle: FileHandle | null = null;
  #pending = Buffer.alloc(0);
  #pendingStart: number;
  #eof = false;

  constructor(readonly path: string, start: number, readonly maxLineLength: number, readonly decoder: TextDecoder, readonly chunkSize = 64 * 1024) {
    this.#pendingStart = start;
  }

  /** Up to `max` lines; fewer (possibly none) only at the end of the file. */
  async read(max: number): Promise<ReadLine[]> {
    this.#handle ??= await open(this.path, "r");
    const out: ReadLine[] = [];
    while (out.length < max) {
      const nl = this.#pending.indexOf(NEWLINE);
      if (nl < 0 && !this.#eof) {
        await this.#fill();
        continue;
      }
      if (nl < 0 && this.#pending.length === 0) break;
      const lineBytes = nl < 0 ? this.#pending : this.#pending.subarray(0, nl);
      const consumed = nl < 0 ? this.#pending.length : nl + 1;
      const cut = this.#cut(lineBytes);
      if (cut !== null) {
        out.push({ bytes: lineBytes.subarray(0, cut), end: this.#pendingStart + cut });
        this.#advance(cut);
      } else {
        out.push({ bytes: lineBytes, end: this.#pendingStart + consumed });
        this.#advance(consumed);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }

  /** Byte length of the first maxLineLength characters when the line is longer, else null. */
  #cut(line: Buffer): number | null {
    if (line.length <= this.maxLineLength) return null;
    const text = this.decoder.decode(line);
    if (text.length <= this.maxLineLength) return null;
    return Buffer.byteLength(text.slice(0, this.maxLineLength), "utf8");
  }

  #advance(n: number): void {
    this.#pending = this.#pending.subarray(n);
    this.#pendingStart += n;
  }

  async #fill(): Promise<void> {
    const chunk = Buffer.allocUnsafe(this.chunkSize);
    const { bytesRead } = await this.#handle!.read(chunk, 0, chunk.length, this.#pendingStart + this.#pending.length);
    if (bytesRead === 0) this.#eof = true;
    else this.#pending = Buffer.concat([this.#pending, chunk.subarray(0, bytesRead)]);
  }
}
