import { afterProbe, chooseDelegate, isSoftwareRenderer } from "./delegate";

// Renderer strings as Chromium reports them (WEBGL_debug_renderer_info) on real machines.
const SWIFTSHADER = "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)";
const LLVMPIPE = "ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)";
const WARP = "ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)";
const NVIDIA = "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)";
const APPLE = "ANGLE (Apple, ANGLE Metal Renderer: Apple M1, Unspecified Version)";

describe("chooseDelegate", () => {
  it.each([SWIFTSHADER, LLVMPIPE, WARP])("auto takes the CPU on a software rasteriser: %s", (renderer) => {
    expect(isSoftwareRenderer(renderer)).toBe(true);
    const choice = chooseDelegate("auto", renderer);
    expect(choice).toMatchObject({ delegate: "CPU", probe: false });
    expect(choice.reason).toMatch(/^software WebGL \(/);
  });

  it.each([NVIDIA, APPLE])("auto takes the GPU on hardware, to be confirmed by the probe: %s", (renderer) => {
    expect(isSoftwareRenderer(renderer)).toBe(false);
    expect(chooseDelegate("auto", renderer)).toMatchObject({ delegate: "GPU", probe: true });
  });

  it("auto without WebGL is the CPU", () => {
    expect(chooseDelegate("auto", null)).toEqual({ delegate: "CPU", reason: "no WebGL", probe: false });
  });

  it("an explicit delegate is kept whatever the renderer, unprobed", () => {
    expect(chooseDelegate("GPU", SWIFTSHADER)).toEqual({ delegate: "GPU", reason: "as asked", probe: false });
    expect(chooseDelegate("CPU", NVIDIA)).toEqual({ delegate: "CPU", reason: "as asked", probe: false });
  });

  it("shortens ANGLE's long renderer string for the status line", () => {
    expect(chooseDelegate("auto", SWIFTSHADER).reason).toBe("software WebGL (SwiftShader)");
    expect(chooseDelegate("auto", LLVMPIPE).reason).toBe("software WebGL (llvmpipe)");
    expect(chooseDelegate("auto", NVIDIA).reason).toBe("hardware WebGL (NVIDIA GeForce RTX 3060)");
    expect(chooseDelegate("auto", APPLE).reason).toBe("hardware WebGL (ANGLE Metal Renderer: Apple M1)");
  });
});

describe("afterProbe", () => {
  const gpu = chooseDelegate("auto", NVIDIA);

  it("keeps the GPU when it was faster on the probe frame", () => {
    const choice = afterProbe(gpu, { gpuMs: 4, cpuMs: 20 });
    expect(choice.delegate).toBe("GPU");
    expect(choice.reason).toMatch(/probed 4\.0 ms a frame vs CPU 20\.0 ms/);
  });

  it("falls back to the CPU when the GPU was slower or as slow", () => {
    expect(afterProbe(gpu, { gpuMs: 30, cpuMs: 20 })).toMatchObject({ delegate: "CPU", probe: false });
    expect(afterProbe(gpu, { gpuMs: 20, cpuMs: 20 }).reason).toMatch(/slower than the CPU \(20\.0 ms vs 20\.0 ms/);
  });

  it("falls back to the CPU when the GPU delegate failed", () => {
    const choice = afterProbe(gpu, { gpuMs: null, cpuMs: null, error: "WebGL context lost" });
    expect(choice).toMatchObject({ delegate: "CPU", probe: false });
    expect(choice.reason).toMatch(/GPU delegate failed: WebGL context lost/);
  });

  it("leaves a decision that needed no probe alone", () => {
    const cpu = chooseDelegate("auto", SWIFTSHADER);
    expect(afterProbe(cpu, { gpuMs: 1, cpuMs: 100 })).toBe(cpu);
  });
});
