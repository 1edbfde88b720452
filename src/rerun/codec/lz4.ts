// LZ4 block format (no frame, no size prefix), the compression Rerun applies to each ArrowMsg
// payload (`Compression::LZ4`, with the size before compression in `uncompressed_size`). A
// recording's chunks repeat a lot (class ids, keypoint ids, Arrow schemas), so LZ4 makes the
// recording ~2.5× smaller for the viewer, the kernel and save_rrd at a few ms per MB.
//
// Written from the format description: a block is a series of sequences, each a token (high
// nibble: literal count, low nibble: match length − 4; 15 means "more bytes follow, each adding
// up to 255"), the literals, a 2-byte little-endian offset back into the output and the extra
// match-length bytes. The last sequence is literals only; the last 5 bytes are always literals
// and no match starts within the last 12 bytes.

const MIN_MATCH = 4;
const LAST_LITERALS = 5;
const MF_LIMIT = 12;
const MAX_OFFSET = 65535;
const HASH_BITS = 14;

/** The largest block `compress` can produce for `n` input bytes. */
export function maxCompressedSize(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function hash(x: number): number {
  return Math.imul(x, 2654435761) >>> (32 - HASH_BITS);
}

function read32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

function writeLength(out: Uint8Array, pos: number, n: number): number {
  while (n >= 255) {
    out[pos++] = 255;
    n -= 255;
  }
  out[pos++] = n;
  return pos;
}

function emit(out: Uint8Array, pos: number, src: Uint8Array, litStart: number, litEnd: number,
  offset: number, matchLen: number): number {
  const lits = litEnd - litStart;
  const tokenAt = pos++;
  let token = Math.min(lits, 15) << 4;
  if (lits >= 15) pos = writeLength(out, pos, lits - 15);
  out.set(src.subarray(litStart, litEnd), pos);
  pos += lits;
  if (matchLen > 0) {
    out[pos++] = offset & 0xff;
    out[pos++] = offset >>> 8;
    const extra = matchLen - MIN_MATCH;
    token |= Math.min(extra, 15);
    if (extra >= 15) pos = writeLength(out, pos, extra - 15);
  }
  out[tokenAt] = token;
  return pos;
}

/** Compresses `src` into one LZ4 block (greedy matching on a hash of 4-byte sequences). */
export function compress(src: Uint8Array): Uint8Array {
  const n = src.length;
  const out = new Uint8Array(maxCompressedSize(n));
  let pos = 0;
  let anchor = 0;
  if (n > MF_LIMIT) {
    const table = new Int32Array(1 << HASH_BITS).fill(-1);
    const matchLimit = n - LAST_LITERALS;
    let i = 0;
    let misses = 0;
    while (i < n - MF_LIMIT) {
      const seq = read32(src, i);
      const h = hash(seq);
      const candidate = table[h];
      table[h] = i;
      if (candidate < 0 || i - candidate > MAX_OFFSET || read32(src, candidate) !== seq) {
        // Skip faster through data that does not repeat (a video blob in an AssetVideo chunk).
        i += 1 + (misses++ >> 6);
        continue;
      }
      misses = 0;
      let len = MIN_MATCH;
      while (i + len < matchLimit && src[candidate + len] === src[i + len]) len++;
      pos = emit(out, pos, src, anchor, i, i - candidate, len);
      i += len;
      anchor = i;
      if (i < n - MF_LIMIT) table[hash(read32(src, i - 2))] = i - 2;
    }
  }
  pos = emit(out, pos, src, anchor, n, 0, 0);
  return out.slice(0, pos);
}

/** Decompresses one LZ4 block whose original size is known (Rerun stores it beside the payload). */
export function decompress(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let i = 0;
  let pos = 0;
  const length = (n: number): number => {
    if (n !== 15) return n;
    let b: number;
    do {
      if (i >= src.length) throw new Error("LZ4: block ends inside a length");
      b = src[i++];
      n += b;
    } while (b === 255);
    return n;
  };
  while (i < src.length) {
    const token = src[i++];
    const lits = length(token >>> 4);
    if (i + lits > src.length || pos + lits > size) throw new Error("LZ4: literals run past the block");
    out.set(src.subarray(i, i + lits), pos);
    i += lits;
    pos += lits;
    if (i >= src.length) break; // the last sequence has no match
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    const len = length(token & 15) + MIN_MATCH;
    if (offset === 0 || offset > pos || pos + len > size) throw new Error("LZ4: a match points outside the output");
    for (let k = 0; k < len; k++, pos++) out[pos] = out[pos - offset]; // may overlap itself
  }
  if (pos !== size) throw new Error(`LZ4: block holds ${pos} bytes, ${size} expected`);
  return out;
}
