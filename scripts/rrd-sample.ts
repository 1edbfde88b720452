/**
 * Writes the sample recording: `npm run rrd:sample -- OUT.rrd [--video X.mp4] [--image Y.jpg]`.
 * Media default to the shared test media (env FACESCOPE_SHARED, default <repo>/../shared); media
 * are read at run time and never copied into the repository.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildSample } from "./rrd-sample-data";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const shared = process.env.FACESCOPE_SHARED ?? resolve(repo, "..", "shared");

function main(argv: string[]): void {
  const args = [...argv];
  const option = (name: string, fallback: string) => {
    const at = args.indexOf(name);
    if (at < 0) return fallback;
    const [, value] = args.splice(at, 2);
    if (!value) throw new Error(`${name} needs a path`);
    return value;
  };
  const video = option("--video", resolve(shared, "media", "a_talking_grid_s1_bbaf2n.mp4"));
  const image = option("--image", resolve(shared, "media", "stills", "grid_s1_frame.jpg"));
  const out = args[0];
  if (!out || args.length !== 1) {
    console.error("usage: npm run rrd:sample -- OUT.rrd [--video FILE.mp4] [--image FILE.jpg]");
    process.exit(2);
  }
  const { bytes, info } = buildSample({ video: readFileSync(video), image: readFileSync(image) });
  writeFileSync(out, bytes);
  console.log(JSON.stringify({ out, bytes: bytes.length, frames: info.frames, lastFrameIdx: info.lastFrameIdx, lastTimeNs: String(info.lastTimeNs) }));
}

main(process.argv.slice(2));
