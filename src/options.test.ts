import { allows, DEFAULT_CLIP_OPTIONS, describeRange, OPTION_NAMES, OPTION_SPECS, OptionsError, parseOptions, pythonName } from "./options";

describe("the options table", () => {
  it("fills every option's default", () => {
    expect(parseOptions()).toEqual(DEFAULT_CLIP_OPTIONS);
    expect(parseOptions({ numFaces: 3, maxFrames: undefined })).toEqual({ ...DEFAULT_CLIP_OPTIONS, numFaces: 3 });
    expect(Object.keys(parseOptions())).toEqual(OPTION_NAMES);
  });

  it.each([
    [{ numFaces: 0 }, "numFaces must be an integer from 1 to 20, got 0"],
    [{ numFaces: 2.5 }, "numFaces must be an integer from 1 to 20, got 2.5"],
    [{ minDetectionConfidence: 1.5 }, "minDetectionConfidence must be a number from 0 to 1, got 1.5"],
    [{ minTrackingConfidence: NaN }, "minTrackingConfidence must be a number from 0 to 1, got NaN"],
    [{ delegate: "TPU" }, 'delegate must be one of "auto", "CPU", "GPU", got "TPU"'],
    [{ detector: "yes" }, 'detector must be true or false, got "yes"'],
    [{ maxDim: 8 }, "maxDim must be 0 or an integer of at least 16, got 8"],
    [{ maxFrames: -1 }, "maxFrames must be 0 or an integer of at least 1, got -1"],
    [{ viewerMemoryMb: 5000 }, "viewerMemoryMb must be an integer from 1 to 4096, got 5000"],
    [{ max_frames: 2 }, 'unknown option "max_frames"'],
  ])("rejects %j, naming the option", (bad, message) => {
    expect(() => parseOptions(bad)).toThrow(OptionsError);
    expect(() => parseOptions(bad)).toThrow(message);
  });

  it("takes 0 as 'off' only where the table says so", () => {
    expect(parseOptions({ maxDim: 0, maxFrames: 0 })).toMatchObject({ maxDim: 0, maxFrames: 0 });
    expect(allows(OPTION_SPECS.numFaces, 0)).toBe(false);
    expect(describeRange(OPTION_SPECS.maxFrames)).toBe("0 or an integer of at least 1");
  });

  it("names each option as Python does, in snake_case", () => {
    expect(OPTION_NAMES.map(pythonName)).toEqual([
      "num_faces", "min_detection_confidence", "min_presence_confidence", "min_tracking_confidence", "delegate",
      "detector", "max_dim", "max_frames", "live_viewer", "viewer_memory_mb",
    ]);
  });

  it("has defaults within its own ranges", () => {
    for (const name of OPTION_NAMES) expect([name, allows(OPTION_SPECS[name], OPTION_SPECS[name].default)]).toEqual([name, true]);
  });
});
