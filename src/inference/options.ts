// The options the inference workers use: the MediaPipe knobs of the one options table
// (src/options.ts), validated there, so the page and the worker describe the same values.
import { DEFAULT_CLIP_OPTIONS, OPTION_SPECS, OptionsError, parseOptions, type ClipOptions } from "../options";

export { OptionsError };

export type Delegate = ClipOptions["delegate"];
export type RunningMode = "VIDEO" | "IMAGE";

/** The table's options that reach MediaPipe (the rest are the video's and the viewer's). */
export const ANALYSIS_OPTION_NAMES = [
  "numFaces", "minDetectionConfidence", "minPresenceConfidence", "minTrackingConfidence", "delegate", "detector",
] as const satisfies readonly (keyof ClipOptions)[];

export type AnalysisOptions = Pick<ClipOptions, (typeof ANALYSIS_OPTION_NAMES)[number]>;

/** The MediaPipe subset of any (resolved) clip options. */
export function analysisOptions(options: ClipOptions): AnalysisOptions {
  return Object.fromEntries(ANALYSIS_OPTION_NAMES.map((name) => [name, options[name]])) as AnalysisOptions;
}

export const DEFAULT_OPTIONS: AnalysisOptions = analysisOptions(DEFAULT_CLIP_OPTIONS);

export const MAX_FACES = OPTION_SPECS.numFaces.max;

/** Fills defaults and rejects anything MediaPipe would misbehave on, with a message naming the option. */
export function resolveOptions(partial: Partial<AnalysisOptions> = {}): AnalysisOptions {
  const known = new Set<string>(ANALYSIS_OPTION_NAMES);
  for (const name of Object.keys(partial)) {
    // The video's and the viewer's options are the page's business, not the worker's.
    if (!known.has(name)) throw new OptionsError(`unknown option "${name}"`);
  }
  return analysisOptions(parseOptions(partial));
}

/**
 * VIDEO-mode timestamp in ms for MediaPipe, strictly greater than `previousMs`. MediaPipe keeps
 * microsecond packet timestamps, so a 1 µs nudge is the smallest step it still sees as increasing.
 */
export function nextTimestampMs(timestampUs: number, previousMs: number | undefined): number {
  const ms = timestampUs / 1000;
  if (previousMs === undefined || ms > previousMs + 0.0005) return ms;
  return previousMs + 0.001;
}
