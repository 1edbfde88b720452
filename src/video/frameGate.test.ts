import { FrameGate } from "./frameGate";

describe("FrameGate", () => {
  it("analyses while fewer than maxInFlight frames are being analysed, records the rest", () => {
    const gate = new FrameGate(2);
    expect([gate.offer(0), gate.offer(0), gate.offer(0), gate.offer(1)]).toEqual(["analyse", "analyse", "record", "record"]);
    expect(gate.inFlight).toBe(2);
    gate.settled();
    expect(gate.offer(0)).toBe("analyse");
    expect(gate.counts).toEqual({ captured: 5, admitted: 3, analysed: 1, encoded: 5 });
  });

  it("drops a frame altogether when the encoder is behind, so every analysed frame is in the video", () => {
    const gate = new FrameGate(1, 4);
    expect(gate.offer(5)).toBe("drop");
    expect(gate.offer(4)).toBe("analyse");
    expect(gate.counts).toEqual({ captured: 2, admitted: 1, analysed: 0, encoded: 1 });
  });

  it("without a recorder, frames the analysis cannot take are dropped", () => {
    const gate = new FrameGate(1);
    expect([gate.offer(null), gate.offer(null)]).toEqual(["analyse", "drop"]);
    expect(gate.counts.encoded).toBe(0);
  });

  it("keeps up when the analysis is as fast as the camera, and refuses a settle without a frame", () => {
    const gate = new FrameGate(2);
    for (let i = 0; i < 100; i++) {
      expect(gate.offer(0)).toBe("analyse");
      gate.settled();
    }
    expect(gate.counts).toEqual({ captured: 100, admitted: 100, analysed: 100, encoded: 100 });
    expect(() => gate.settled()).toThrow();
    expect(() => new FrameGate(0)).toThrow(RangeError);
  });
});
