import { chooseLiveViewer } from "./liveViewer";

const SWIFTSHADER = "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)";
const NVIDIA = "ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 (0x00002504) Direct3D11 vs_5_0 ps_5_0, D3D11)";

describe("chooseLiveViewer", () => {
  it("draws the viewer live on a hardware GPU and waits with it on a software rasteriser or without WebGL", () => {
    expect(chooseLiveViewer("auto", NVIDIA)).toEqual({ live: true, note: "" });
    expect(chooseLiveViewer("auto", SWIFTSHADER).live).toBe(false);
    expect(chooseLiveViewer("auto", "llvmpipe (LLVM 15.0.6, 256 bits)").live).toBe(false);
    expect(chooseLiveViewer("auto", null).live).toBe(false);
    expect(chooseLiveViewer("auto", SWIFTSHADER).note).toMatch(/live_viewer="on"/);
  });

  it("does as asked when the setting is on or off", () => {
    expect(chooseLiveViewer("on", SWIFTSHADER)).toEqual({ live: true, note: "" });
    expect(chooseLiveViewer("off", NVIDIA).live).toBe(false);
  });
});
