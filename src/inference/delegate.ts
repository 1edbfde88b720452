// Which MediaPipe delegate runs the analysis when the user leaves it to us (`delegate: "auto"`, the
// default): the GPU delegate where WebGL is hardware-accelerated, the CPU where it is a software
// rasteriser (SwiftShader, llvmpipe: there the GPU delegate is ~10× slower), and where a hardware
// GPU is chosen, a short timed probe on the clip's first frame confirms it (a weak or blocklisted
// GPU can still lose to the CPU, or fail to start).

export type RunDelegate = "CPU" | "GPU";

export interface DelegateChoice {
  delegate: RunDelegate;
  /** Why, in a few words, for the summary's `delegate_reason` and the status line. */
  reason: string;
  /** `auto` chose the GPU from the renderer string alone: the probe should confirm it. */
  probe: boolean;
}

/** Renderer strings of software rasterisers (Chromium's SwiftShader, Mesa's llvmpipe/softpipe,
 * Windows' WARP "Microsoft Basic Render Driver"). */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/** The decision before any probe: `requested` is the option's value, `renderer` WebGL's unmasked
 * renderer string (null: no WebGL at all). */
export function chooseDelegate(requested: "auto" | RunDelegate, renderer: string | null): DelegateChoice {
  if (requested !== "auto") return { delegate: requested, reason: "as asked", probe: false };
  if (renderer === null) return { delegate: "CPU", reason: "no WebGL", probe: false };
  const name = shortRenderer(renderer);
  if (isSoftwareRenderer(renderer)) return { delegate: "CPU", reason: `software WebGL (${name})`, probe: false };
  return { delegate: "GPU", reason: `hardware WebGL (${name})`, probe: true };
}

export interface ProbeTimes {
  /** ms per frame on each delegate (the best of a few runs after a warm-up); null: it failed. */
  gpuMs: number | null;
  cpuMs: number | null;
  error?: string;
}

/** The decision once the probe has timed both delegates on the same frame. */
export function afterProbe(choice: DelegateChoice, times: ProbeTimes): DelegateChoice {
  if (!choice.probe) return choice;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  if (times.gpuMs === null) {
    return { delegate: "CPU", reason: `${choice.reason}, but the GPU delegate failed${times.error ? `: ${times.error}` : ""}`, probe: false };
  }
  if (times.cpuMs !== null && times.gpuMs >= times.cpuMs) {
    return { delegate: "CPU", reason: `${choice.reason}, but slower than the CPU (${ms(times.gpuMs)} vs ${ms(times.cpuMs)} a frame)`, probe: false };
  }
  const vs = times.cpuMs === null ? "" : ` vs CPU ${ms(times.cpuMs)}`;
  return { delegate: "GPU", reason: `${choice.reason}, probed ${ms(times.gpuMs)} a frame${vs}`, probe: false };
}

/** ANGLE's strings are long ("ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 …,
 * D3D11)"): the rasteriser's name for a software one, else the device part, at most 60 characters. */
function shortRenderer(renderer: string): string {
  const software = SOFTWARE.exec(renderer)?.[0];
  if (software) return software;
  const inner = /^ANGLE \((.*)\)$/.exec(renderer.trim())?.[1] ?? renderer.trim();
  const device = (inner.split(", ")[1] ?? inner).replace(/\s*\(0x[0-9a-f]+\).*$/i, "");
  return device.length > 60 ? `${device.slice(0, 57)}…` : device;
}

/** WebGL's unmasked renderer string here (page or worker), or null without WebGL. */
export function webglRenderer(): string | null {
  try {
    if (typeof OffscreenCanvas === "undefined") return null;
    const gl = new OffscreenCanvas(1, 1).getContext("webgl2") ?? new OffscreenCanvas(1, 1).getContext("webgl");
    if (!gl) return null;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? "");
    gl.getExtension("WEBGL_lose_context")?.loseContext(); // contexts are few; give this one back
    return renderer || null;
  } catch {
    return null;
  }
}
