// Container detection from the first bytes, not the file name: users rename files, and the bad
// fixtures (a text file called .mp4) must be told apart from real but truncated MP4s.

export type Container = "mp4" | "webm" | "png" | "jpeg" | "gif" | "webp" | "bmp" | "ogg" | "unknown";

// Box types that can open an ISO-BMFF/QuickTime file (QuickTime files may start with wide/free/mdat).
const MP4_FIRST_BOXES = new Set(["ftyp", "moov", "mdat", "free", "wide", "skip", "pnot", "styp"]);

function ascii(b: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...b.subarray(start, Math.min(end, b.length)));
}

export function sniffContainer(b: Uint8Array): Container {
  if (b.length >= 8 && MP4_FIRST_BOXES.has(ascii(b, 4, 8))) return "mp4";
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return "webm";
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === "PNG") return "png";
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (ascii(b, 0, 4) === "GIF8") return "gif";
  if (ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP") return "webp";
  if (ascii(b, 0, 2) === "BM" && b.length > 26) return "bmp";
  if (ascii(b, 0, 4) === "OggS") return "ogg";
  return "unknown";
}

export const STILL_CONTAINERS: ReadonlySet<Container> = new Set(["png", "jpeg", "gif", "webp", "bmp"]);
