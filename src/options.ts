// The analysis options, once: every knob a clip's analysis takes, its kind, default and range.
// The Python twin is facescope/options.py (same options, snake_case there: numFaces ↔ num_faces);
// tests/test_options.py compares the two tables, so a row added here must be added there too.
// Everything else — the worker's subset (inference/options.ts), what the widget reads from its
// traits (widget/clipAnalysis.ts), the headless page — follows this table. This module imports
// nothing, so every layer may use it.

export type OptionKind = "int" | "float" | "bool" | "choice";

export interface OptionSpec {
  kind: OptionKind;
  default: number | boolean | string;
  /** Inclusive range of a number. */
  min?: number;
  max?: number;
  /** 0 is also accepted and means "off" (keep the size, every frame). */
  orZero?: boolean;
  choices?: readonly string[];
}

/** One row per option. Adding an option: a row here, a row in facescope/options.py. */
export const OPTION_SPECS = {
  numFaces: { kind: "int", default: 1, min: 1, max: 20 },
  minDetectionConfidence: { kind: "float", default: 0.5, min: 0, max: 1 },
  minPresenceConfidence: { kind: "float", default: 0.5, min: 0, max: 1 },
  minTrackingConfidence: { kind: "float", default: 0.5, min: 0, max: 1 },
  // auto: GPU where WebGL is hardware, CPU where it is software (~10× slower there): inference/delegate.ts.
  delegate: { kind: "choice", default: "auto", choices: ["auto", "CPU", "GPU"] },
  detector: { kind: "bool", default: true },
  // 16 px is the least a face model can still use; 0 keeps the clip's size.
  maxDim: { kind: "int", default: 0, min: 16, orZero: true },
  maxFrames: { kind: "int", default: 0, min: 1, orZero: true },
  // Widget only. The 0.33 viewer redraws continuously: in software GL that halves the analysis (widget/liveViewer.ts).
  liveViewer: { kind: "choice", default: "auto", choices: ["auto", "on", "off"] },
  // The viewer's wasm memory is 4 GiB at most (scene/density.ts says what a frame costs).
  viewerMemoryMb: { kind: "int", default: 1500, min: 1, max: 4096 },
} as const satisfies Record<string, OptionSpec>;

type Specs = typeof OPTION_SPECS;
export type OptionName = keyof Specs;
type ValueOf<S> = S extends { kind: "bool" } ? boolean
  : S extends { kind: "choice"; choices: readonly (infer C)[] } ? C : number;

/** Every option with its value (what `parseOptions` returns). */
export type ClipOptions = { -readonly [K in OptionName]: ValueOf<Specs[K]> };

export const OPTION_NAMES = Object.keys(OPTION_SPECS) as OptionName[];

export const DEFAULT_CLIP_OPTIONS = Object.fromEntries(
  OPTION_NAMES.map((name) => [name, OPTION_SPECS[name].default]),
) as ClipOptions;

export class OptionsError extends Error {
  override name = "OptionsError";
}

/** The allowed values in words, for messages: "an integer from 1 to 20", "0 or an integer of at least 16". */
export function describeRange(spec: OptionSpec): string {
  if (spec.kind === "bool") return "true or false";
  if (spec.kind === "choice") return `one of ${spec.choices!.map((c) => JSON.stringify(c)).join(", ")}`;
  const what = spec.kind === "int" ? "an integer" : "a number";
  const range = spec.min !== undefined && spec.max !== undefined ? `${what} from ${spec.min} to ${spec.max}`
    : spec.min !== undefined ? `${what} of at least ${spec.min}`
      : spec.max !== undefined ? `${what} of at most ${spec.max}` : what;
  return spec.orZero ? `0 or ${range}` : range;
}

/** Whether `value` is allowed by `spec`. */
export function allows(spec: OptionSpec, value: unknown): boolean {
  switch (spec.kind) {
    case "bool": return typeof value === "boolean";
    case "choice": return typeof value === "string" && spec.choices!.includes(value);
    default: {
      if (typeof value !== "number" || !Number.isFinite(value)) return false;
      if (spec.kind === "int" && !Number.isInteger(value)) return false;
      if (spec.orZero && value === 0) return true;
      return (spec.min === undefined || value >= spec.min) && (spec.max === undefined || value <= spec.max);
    }
  }
}

/**
 * Fills defaults and rejects unknown options and values out of range, naming the option — so a
 * bad value fails before any model is loaded. `undefined` counts as "not given".
 */
export function parseOptions(given: Partial<Record<string, unknown>> = {}): ClipOptions {
  const out: Record<string, unknown> = { ...DEFAULT_CLIP_OPTIONS };
  for (const [name, value] of Object.entries(given)) {
    if (!(name in OPTION_SPECS)) throw new OptionsError(`unknown option "${name}"; known: ${OPTION_NAMES.join(", ")}`);
    if (value === undefined) continue;
    const spec: OptionSpec = OPTION_SPECS[name as OptionName];
    if (!allows(spec, value)) throw new OptionsError(`${name} must be ${describeRange(spec)}, got ${typeof value === "number" ? value : JSON.stringify(value)}`);
    out[name] = value;
  }
  return out as ClipOptions;
}

/** camelCase → the Python twin's snake_case name (maxFrames → max_frames). */
export function pythonName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
