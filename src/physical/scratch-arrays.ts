type Typed = Int32Array | Float64Array | Uint8Array;

/**
 * Typed arrays a batch's work needs only until it ends (row ids, local groups' slots, hashes,
 * encoded keys), kept by name and handed out again to the next batch: a million-group
 * aggregation otherwise allocates tens of MB of fresh arrays a batch, which the kernel must
 * map and zero page by page and whose external bytes bring on the collector. Each name's
 * array grows by doubling and is handed out as a view of the length asked for. A caller
 * holds an array until its batch's work is done and never keeps it beyond: the next request
 * under the same name returns the same memory.
 */
export class ScratchArrays {
  readonly #arrays = new Map<string, Typed>();

  int32(name: string, n: number, zeroed = false): Int32Array {
    return this.#get(name, n, zeroed, (k) => new Int32Array(k));
  }

  float64(name: string, n: number, zeroed = false): Float64Array {
    return this.#get(name, n, zeroed, (k) => new Float64Array(k));
  }

  uint8(name: string, n: number, zeroed = false): Uint8Array {
    return this.#get(name, n, zeroed, (k) => new Uint8Array(k));
  }

  #get<T extends Typed>(name: string, n: number, zeroed: boolean, make: (k: number) => T): T {
    let a = this.#arrays.get(name) as T | undefined;
    if (a === undefined || a.length < n) {
      // Fresh arrays are zeroed already.
      a = make(Math.max(n, 2 * (a?.length ?? 0), 64));
      this.#arrays.set(name, a);
      return a.subarray(0, n) as T;
    }
    const view = a.subarray(0, n) as T;
    if (zeroed) view.fill(0);
    return view;
  }
}

/** No scratch: every request is a fresh array (callers that run once, or keep what they get). */
export const FRESH = {
  int32: (_: string, n: number): Int32Array => new Int32Array(n),
  float64: (_: string, n: number): Float64Array => new Float64Array(n),
  uint8: (_: string, n: number): Uint8Array => new Uint8Array(n),
} satisfies Scratch;

/** What batch code asks scratch arrays of: ScratchArrays, or FRESH. */
export interface Scratch {
  int32(name: string, n: number, zeroed?: boolean): Int32Array;
  float64(name: string, n: number, zeroed?: boolean): Float64Array;
  uint8(name: string, n: number, zeroed?: boolean): Uint8Array;
}
