// Reads the parts of a wasm module the build's scripts look at (the size breakdown, the
// function order, the exports short-names keeps): its sections, imported functions,
// exports, function bodies and names.

/** An unsigned LEB128 number's bytes. */
export function uleb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}

/** A signed LEB128 number's bytes. */
export function sleb(n) {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

/** A cursor at the start of a section's content (after its id and size). */
export function contentOf(sec) {
  const c = cursor(sec.bytes, 1);
  c.leb(); // the size
  return c;
}

/** The data section's active segments at a constant address: `{ address, start, length }`
 * (`start`: where its bytes are in the section); passive segments are skipped. None at all
 * when a segment's address is any other expression (not read here: the module is left as
 * it is). */
export function segments(data) {
  const c = contentOf(data);
  const bytes = data.bytes;
  const found = [];
  for (let i = 0, n = c.leb(); i < n; i++) {
    const flag = c.leb();
    let address = null;
    if (flag === 0 || flag === 2) {
      if (flag === 2) c.leb(); // the memory
      if (bytes[c.p] !== 0x41) return []; // not i32.const
      c.p++;
      address = c.leb();
      // A negative address (signed LEB), or an expression that goes on: not ours to read.
      if (bytes[c.p - 1] & 0x40 || bytes[c.p] !== 0x0b) return [];
      c.p++;
    } else if (flag !== 1) {
      return [];
    }
    const length = c.leb();
    if (address !== null) found.push({ address, start: c.p, length });
    c.p += length;
  }
  return found;
}

/** The `length` bytes at memory `address` (a view of `data`'s section), when they all lie in
 * one of its segments `segs`; undefined otherwise. */
export function bytesAt(data, segs, address, length) {
  const s = segs.find((g) => address >= g.address && address + length <= g.address + g.length);
  return s && data.bytes.subarray(s.start + address - s.address, s.start + address - s.address + length);
}

/** The first offset in segment `seg` whose memory address is a multiple of 4. */
export function firstAligned(seg) {
  return (4 - (seg.address % 4)) % 4;
}

/** A section: its `id`, its size and `body` (bytes or an array of them). */
export function section(id, body) {
  return Buffer.concat([Buffer.from([id, ...uleb(body.length)]), Buffer.from(body)]);
}

/** A reading position `p` in `bytes`, with `leb()`: the unsigned LEB128 number there (the
 * position moves past it). */
export function cursor(bytes, p = 0) {
  return {
    p,
    leb() {
      let r = 0;
      let s = 0;
      let x;
      do {
        x = bytes[this.p++];
        r += (x & 0x7f) * 2 ** s;
        s += 7;
      } while (x & 0x80);
      return r;
    },
  };
}

/** `{ sections, imported, exports, bodies, names, data }` of the wasm `bytes`: every
 * section as it is (`{ id, custom, bytes }`, `custom` the name of a custom section), the
 * number of imported functions (they come first in the function index space), each export
 * (`{ name, bytes }`, its entry's bytes), each defined function's body, the function names
 * of the name section (index -> name) and the size of the data section. */
export function readModule(bytes) {
  const c = cursor(bytes, 8);
  const leb = () => c.leb();
  const sections = [];
  const bodies = [];
  const names = new Map();
  const exports = [];
  let imported = 0;
  let data = 0;
  while (c.p < bytes.length) {
    const start = c.p;
    const id = bytes[c.p++];
    const size = leb();
    const end = c.p + size;
    let custom;
    if (id === 0) {
      const length = leb();
      custom = bytes.subarray(c.p, c.p + length).toString();
      c.p += length;
      if (custom === 'name') {
        while (c.p < end) {
          const sub = bytes[c.p++];
          const subEnd = leb() + c.p;
          if (sub === 1) {
            for (let i = 0, n = leb(); i < n; i++) {
              const index = leb();
              const l = leb();
              names.set(index, bytes.subarray(c.p, c.p + l).toString());
              c.p += l;
            }
          }
          c.p = subEnd;
        }
      }
    } else if (id === 2) {
      for (let i = 0, n = leb(); i < n; i++) {
        for (let k = 0; k < 2; k++) { // module, field
          const length = leb();
          c.p += length;
        }
        const kind = bytes[c.p++];
        if (kind === 0) { leb(); imported++; } // function: its type
        else if (kind === 1) { c.p++; const f = leb(); leb(); if (f & 1) leb(); } // table: type, limits
        else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } // memory: limits
        else if (kind === 3) c.p += 2; // global: type, mutability
        else throw new Error(`wasm: import kind ${kind}`);
      }
    } else if (id === 7) {
      for (let i = 0, n = leb(); i < n; i++) {
        const entry = c.p;
        const length = leb();
        const name = bytes.subarray(c.p, c.p + length).toString();
        c.p += length + 1; // the name, the kind
        leb(); // the index
        exports.push({ name, bytes: bytes.subarray(entry, c.p) });
      }
    } else if (id === 10) {
      for (let i = 0, n = leb(); i < n; i++) {
        const length = leb();
        bodies.push(bytes.subarray(c.p, c.p + length));
        c.p += length;
      }
      if (c.p !== end) throw new Error('wasm: code section misread');
    } else if (id === 11) {
      data += size;
    }
    sections.push({ id, custom, bytes: bytes.subarray(start, end) });
    c.p = end;
  }
  return { sections, imported, exports, bodies, names, data };
}
