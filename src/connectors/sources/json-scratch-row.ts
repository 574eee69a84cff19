import type { BatchAssembler } from "./batch-assembler.ts";
import { ByteInterner, FRESH } from "./byte-interner.ts";
import { PENDING_LINES, type ShapeRow } from "./json-line-shape.ts";
import { SLOT_NUM, SLOT_OBJ, SLOT_STR } from "./row-filter.ts";

/**
 * One JSON line's values between decoding and appending, per output slot: what the slot
 * holds (SLOT_*), and a number, a string (with its interner id and byte hash) or an object.
 * The general path decodes into it (json-value-decoder.ts), the compiled fast path too
 * when pushed filters must see the line first (json-line-shape.ts), and pushed filters
 * read it (row-filter.ts); `appendTo` then hands the line to the builders.
 */
export class JsonScratchRow implements ShapeRow {
  readonly state: Uint8Array;
  readonly nums: Float64Array;
  readonly strs: string[];
  /** Per slot, the interner id of the string in strs, NOT_KEPT, or FRESH (byte-interner.ts). */
  readonly ids: Int32Array;
  /** Per slot, the hashBytes of the string in strs, where ids says it came from the bytes. */
  readonly hashes: Int32Array;
  readonly objs: unknown[];
  /** Per slot, the interner of a string column's values (kept for the decoder's life). */
  readonly interners: ByteInterner[];
  /** A direct shape's string values not yet appended (json-pending-strings.ts). */
  readonly pendingFrom: Int32Array;
  readonly pendingEnd: Int32Array;
  readonly pendingHash: Int32Array;
  pendingCount = 0;

  constructor(width: number) {
    this.state = new Uint8Array(width);
    this.nums = new Float64Array(width);
    this.strs = new Array<string>(width).fill("");
    this.ids = new Int32Array(width);
    this.hashes = new Int32Array(width);
    this.objs = new Array<unknown>(width).fill(null);
    this.interners = Array.from({ length: width }, () => new ByteInterner());
    this.pendingFrom = new Int32Array(width * PENDING_LINES);
    this.pendingEnd = new Int32Array(width * PENDING_LINES);
    this.pendingHash = new Int32Array(width * PENDING_LINES);
  }

  /** Appends the line as a row; an unset slot is null, or `corruptText` in the corrupt-record slot. */
  appendTo(out: BatchAssembler, corruptSlot: number, corruptText: string | null): void {
    const builders = out.builders;
    const state = this.state;
    for (let k = 0; k < state.length; k++) {
      const b = builders[k]!;
      switch (state[k]) {
        case SLOT_NUM: b.appendNumber(this.nums[k]!); break;
        case SLOT_STR: {
          const id = this.ids[k]!;
          if (id >= 0) b.appendInterned(this.strs[k]!, id, this.interners[k]!.generation, this.hashes[k]!);
          else if (id === FRESH) b.appendFresh(this.strs[k]!, this.hashes[k]!);
          else b.appendString(this.strs[k]!);
          break;
        }
        case SLOT_OBJ: b.append(this.objs[k]); break;
        default:
          if (k === corruptSlot && corruptText !== null) b.appendString(corruptText);
          else b.appendNull();
      }
    }
    out.rowDone();
  }
}
