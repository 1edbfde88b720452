// Test-only frame source wrapper for the fidelity suite. It turns every decoded frame into an RGBA
// VideoFrame (Chromium's own YUV → RGB conversion, the same libyuv path texImage2D takes) and
// POSTs those exact bytes to `exportUrl`, where the Playwright test intercepts them. The browser
// then analyses the RGBA frame and Python analyses the same bytes, so any difference left between
// the two is MediaPipe's, not the decoders'.
import type { DecodedFrame, VideoSource } from "../../src/video/source";

export function exportingRgba(source: VideoSource, exportUrl: string): VideoSource {
  return {
    ...source,
    async *frames(): AsyncGenerator<DecodedFrame> {
      for await (const f of source.frames()) {
        const { frame } = f;
        const width = frame.displayWidth, height = frame.displayHeight;
        const options: VideoFrameCopyToOptions = { format: "RGBA", colorSpace: "srgb" };
        const rgba = new Uint8Array(frame.allocationSize(options));
        const layout = await frame.copyTo(rgba, options);
        const timestamp = frame.timestamp;
        frame.close();
        if (layout[0].stride !== width * 4) throw new Error(`unexpected RGBA stride ${layout[0].stride} for width ${width}`);
        const res = await fetch(`${exportUrl}${f.index}?w=${width}&h=${height}&t=${f.timestampUs}`, { method: "POST", body: rgba });
        if (!res.ok) throw new Error(`exporting frame ${f.index} failed: HTTP ${res.status}`);
        const copy = new VideoFrame(rgba, { format: "RGBA", codedWidth: width, codedHeight: height, timestamp });
        yield { ...f, frame: copy };
      }
    },
  };
}
