// Rotation and downscaling of decoded frames. MediaPipe analyses pixels as given, so a portrait
// phone clip stored sideways must be turned upright here, or faces would be lying on their side.
import { outputSize, type Rotation } from "./geometry";

export class FrameTransformer {
  private canvas?: OffscreenCanvas;
  private ctx?: OffscreenCanvasRenderingContext2D;

  constructor(private readonly rotation: Rotation, private readonly maxDim?: number) {}

  /** The upright, size-limited frame; closes the input when it had to make a new one. */
  apply(frame: VideoFrame): VideoFrame {
    const out = outputSize(frame.displayWidth, frame.displayHeight, this.rotation, this.maxDim);
    const turned = this.rotation === 90 || this.rotation === 270;
    if (this.rotation === 0 && out.width === frame.displayWidth && out.height === frame.displayHeight) return frame;
    if (!this.canvas || this.canvas.width !== out.width || this.canvas.height !== out.height) {
      this.canvas = new OffscreenCanvas(out.width, out.height);
      const ctx = this.canvas.getContext("2d", { alpha: false });
      if (!ctx) throw new Error("no 2D canvas context for rotating/scaling frames");
      this.ctx = ctx;
    }
    const ctx = this.ctx as OffscreenCanvasRenderingContext2D;
    const [dw, dh] = turned ? [out.height, out.width] : [out.width, out.height];
    ctx.setTransform(1, 0, 0, 1, out.width / 2, out.height / 2);
    ctx.rotate((this.rotation * Math.PI) / 180);
    ctx.drawImage(frame, -dw / 2, -dh / 2, dw, dh);
    const result = new VideoFrame(this.canvas, { timestamp: frame.timestamp, duration: frame.duration ?? undefined });
    frame.close();
    return result;
  }
}
