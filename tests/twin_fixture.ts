// Prints the front end's side of the Python ↔ TS twins as JSON, for tests/test_options.py:
// the options table (src/options.ts) with each option's allowed-values wording, and the limits
// (src/limits.ts). `npx tsx tests/twin_fixture.ts`.
import { MAX_CLIP_BYTES, TO_BROWSER_MESSAGE_BYTES, TO_KERNEL_MESSAGE_BYTES, tooLargeMessage } from "../src/limits";
import { describeRange, OPTION_SPECS, type OptionSpec } from "../src/options";

const options = Object.entries(OPTION_SPECS).map(([name, spec]: [string, OptionSpec]) => ({
  name, kind: spec.kind, default: spec.default, min: spec.min ?? null, max: spec.max ?? null,
  orZero: spec.orZero ?? false, choices: spec.choices ?? [], describe: describeRange(spec),
}));
const limits = {
  MAX_CLIP_BYTES, TO_KERNEL_MESSAGE_BYTES, TO_BROWSER_MESSAGE_BYTES,
  tooLargeMessage: tooLargeMessage("big.mp4", 3 * 2 ** 30),
};
process.stdout.write(JSON.stringify({ options, limits }));
