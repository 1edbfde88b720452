// The decoder against the kernel's own encoder (facescope/_codec.py, run with the worktree's Python).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { decodeCustom } from "./customCodec";

const PYTHON = join(__dirname, "..", "..", ".venv", "bin", "python");

function encoded(script: string): Uint8Array {
  const prelude = "import sys, numpy as np\nfrom facescope._codec import encode_custom\n";
  return new Uint8Array(execFileSync(PYTHON, ["-c", prelude + script], { cwd: join(__dirname, "..", "..") }));
}

const maybe = existsSync(PYTHON) ? describe : describe.skip;

maybe("decodeCustom (bytes from facescope._codec.encode_custom)", () => {
  it("reads a series' rows, times and values, NaN where nothing is logged", () => {
    const bytes = encoded(`
values = np.array([[0.5, np.nan], [0.25, 1.0], [0.125, 2.0]])
sys.stdout.buffer.write(encode_custom("series", "smile", {"frame_idx": [3, 4, 7], "time": [0.12, 0.16, 0.28], "values": values}, series=["0", "1"]))`);
    const d = decodeCustom(bytes);
    if (d.kind !== "series") throw new Error("not a series");
    expect(d.name).toBe("smile");
    expect(d.series).toEqual(["0", "1"]);
    expect(Array.from(d.frameIdx)).toEqual([3, 4, 7]);
    expect(Array.from(d.time)).toEqual([0.12, 0.16, 0.28]);
    expect(Array.from(d.values)).toEqual([0.5, NaN, 0.25, 1, 0.125, 2]);
  });

  it("reads events with their labels, also from an unaligned buffer", () => {
    const bytes = encoded(`
cols = {"start_frame": [10, 40], "start_time": [0.4, 1.6], "end_frame": [20, 45], "end_time": [0.8, 1.8]}
sys.stdout.buffer.write(encode_custom("events", "episodes", cols, labels=["smile", "smile ☺"]))`);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const d = decodeCustom(shifted.subarray(3));
    if (d.kind !== "events") throw new Error("not events");
    expect(d.labels).toEqual(["smile", "smile ☺"]);
    expect(Array.from(d.startFrame)).toEqual([10, 40]);
    expect(Array.from(d.endTime)).toEqual([0.8, 1.8]);
  });

  it("refuses bytes that are not custom data", () => {
    expect(() => decodeCustom(new TextEncoder().encode("FSCR0000000000000"))).toThrow(/magic/);
    expect(() => decodeCustom(new Uint8Array(4))).toThrow(/preamble/);
  });
});
