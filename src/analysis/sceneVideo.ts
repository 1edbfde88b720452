// What the scene shows under the overlays: the clip itself as an MP4 asset with its frame times
// (Rerun plays MP4 assets only, so a WebM/Matroska clip's samples are remuxed into one first), the
// still image, or, when a clip cannot be shown, nothing (overlays only, in the analysed frame's pixels).
import { readMp4VideoInfo } from "../rerun";
import type { SceneVideo } from "../scene/scene";
import { remuxToMp4 } from "../video/remux";
import type { VideoSource } from "../video/source";

export interface ClipVideo {
  shown: SceneVideo;
  /** Why the clip's video is not shown (its analysis is unaffected), or null. */
  videoError: string | null;
}

export async function sceneVideo(source: VideoSource, bytes: Uint8Array): Promise<ClipVideo> {
  if (source.kind === "mp4") return { shown: mp4SceneVideo(bytes, source.rotation), videoError: null };
  if (source.kind === "image") {
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return { shown: { asset: { kind: "image", bytes, mediaType: `image/${source.codec}` }, ...size }, videoError: null };
  }
  try {
    if (!source.encoded) throw new Error("the clip's encoded track is not available");
    // Frame times read back from the MP4 we wrote, as for the camera: references match it exactly.
    return { shown: mp4SceneVideo(remuxToMp4(source.encoded), source.rotation), videoError: null };
  } catch (e) {
    // The analysis does not need the MP4: go on with the overlays alone and say why.
    const videoError = `the ${source.codec} video could not be put into an MP4 for the viewer (${e instanceof Error ? e.message : String(e)})`;
    console.warn(`facescope: ${videoError}`);
    return { shown: { width: source.width, height: source.height }, videoError };
  }
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
