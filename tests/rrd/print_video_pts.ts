// Prints the frame timestamps our writer reads from MP4 files, one JSON line per file.
import { readFileSync } from "node:fs";
import { readFrameTimestampsNs } from "../../src/rerun";

for (const path of process.argv.slice(2)) {
  console.log(JSON.stringify({ path, ns: Array.from(readFrameTimestampsNs(readFileSync(path)), String) }));
}
