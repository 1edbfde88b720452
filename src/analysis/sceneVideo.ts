// What the scene shows under the overlays: the clip itself when the viewer can play it (an MP4
// asset with its frame times), the still image, or nothing (other containers: overlays only,
// in the analysed frame's pixels, since Rerun plays MP4 assets only).
import { readMp4VideoInfo } from "../rerun";
import type { SceneVideo } from "../scene/scene";
import type { VideoSource } from "../video/source";

export async function sceneVideo(source: VideoSource, bytes: Uint8Array): Promise<SceneVideo> {
  if (source.kind === "mp4") return mp4SceneVideo(bytes, source.rotation);
  if (source.kind === "image") {
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return { asset: { kind: "image", bytes, mediaType: `image/${source.codec}` }, ...size };
  }
  // Other containers: overlays only, in the analysed frame's pixels (Rerun plays MP4 assets only).
  return { width: source.width, height: source.height };
}

/** An MP4 (a file clip, or the camera's recording) as the scene shows it: frame times as Rerun reads them. */
export function mp4SceneVideo(bytes: Uint8Array, rotation: VideoSource["rotation"] = 0): SceneVideo {
  const info = readMp4VideoInfo(bytes);
  const swap = rotation === 90 || rotation === 270;
  return {
    asset: { kind: "video", bytes, mediaType: "video/mp4", frameTimestampsNs: info.frameTimestampsNs },
    width: swap ? info.height : info.width,
    height: swap ? info.width : info.height,
  };
}
