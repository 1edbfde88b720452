// What the scene shows under the overlays: the clip itself when the viewer can play it (an MP4
// asset with its frame times), the still image, or nothing (other containers: overlays only,
// in the analysed frame's pixels, since Rerun plays MP4 assets only).
import { readMp4VideoInfo } from "../rerun";
import type { SceneVideo } from "../scene/scene";
import type { VideoSource } from "../video/source";

export async function sceneVideo(source: VideoSource, bytes: Uint8Array): Promise<SceneVideo> {
  if (source.kind === "mp4") {
    const info = readMp4VideoInfo(bytes);
    const swap = source.rotation === 90 || source.rotation === 270;
    return {
      asset: { kind: "video", bytes, mediaType: "video/mp4", frameTimestampsNs: info.frameTimestampsNs },
      width: swap ? info.height : info.width,
      height: swap ? info.width : info.height,
    };
  }
  if (source.kind === "image") {
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return { asset: { kind: "image", bytes, mediaType: `image/${source.codec}` }, ...size };
  }
  // Other containers: overlays only, in the analysed frame's pixels (Rerun plays MP4 assets only).
  return { width: source.width, height: source.height };
}
