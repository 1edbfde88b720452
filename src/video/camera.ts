// The camera as a video source: which cameras there are, opening one (with the browser's
// permission prompt), and its frames as VideoFrames with the camera's own timestamps (Chromium's
// MediaStreamTrackProcessor). Failures become CameraErrors whose messages say what to do.

export type CameraErrorCode =
  | "unsupported"        // no getUserMedia / MediaStreamTrackProcessor, or not a secure page
  | "permission-denied"  // the user or the browser's settings refused the camera
  | "no-camera"          // nothing to open (or not the device asked for)
  | "camera-busy"        // another program holds it
  | "camera-ended";      // unplugged, or switched off, while recording

export class CameraError extends Error {
  override name = "CameraError";
  constructor(readonly code: CameraErrorCode, message: string) {
    super(message);
  }
}

export interface CameraDevice {
  deviceId: string;
  label: string;
}

/** Chromium's MediaStreamTrackProcessor (not in TypeScript's DOM library yet). */
type TrackProcessor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => { readable: ReadableStream<VideoFrame> };

function trackProcessor(): TrackProcessor | undefined {
  return (globalThis as { MediaStreamTrackProcessor?: TrackProcessor }).MediaStreamTrackProcessor;
}

/** Default capture size: what the analysis and the recording are measured at. */
export const CAMERA_WIDTH = 640;
export const CAMERA_HEIGHT = 480;

function mediaDevices(): MediaDevices {
  const devices = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  if (!devices?.getUserMedia) {
    throw new CameraError("unsupported", "This page cannot use a camera: browsers allow it only on https:// or " +
      "http://localhost pages (open Jupyter at localhost, or behind https).");
  }
  return devices;
}

/** Cameras the browser lists (labels are empty until the page has been allowed the camera once). */
export async function listCameras(): Promise<CameraDevice[]> {
  const all = await mediaDevices().enumerateDevices();
  return all.filter((d) => d.kind === "videoinput")
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

/** Turns getUserMedia's DOMExceptions into messages a notebook user can act on. */
export function cameraError(error: unknown, device?: string): CameraError {
  const name = (error as { name?: string })?.name ?? "";
  const detail = (error as { message?: string })?.message ?? String(error);
  switch (name) {
    case "NotAllowedError":
    case "SecurityError":
      return new CameraError("permission-denied", "Camera permission was denied. Allow the camera for this page " +
        "(the camera icon in the address bar, or the browser's site settings) and press Camera again.");
    case "NotFoundError":
    case "OverconstrainedError":
      return new CameraError("no-camera", device
        ? `The camera "${device}" was not found: it may be unplugged (scope.record(device=None) takes the default camera).`
        : "No camera found: plug one in, or check that the browser may see it.");
    case "NotReadableError":
    case "AbortError":
      return new CameraError("camera-busy", `The camera could not be started; another program may be using it (${detail}).`);
    default:
      return error instanceof CameraError ? error : new CameraError("unsupported", `The camera could not be opened: ${detail}`);
  }
}

/**
 * Opens a camera at about 640×480. `device` is a deviceId or a label (or part of one) as the user
 * typed it; undefined takes the browser's default camera.
 */
export async function openCamera(device?: string): Promise<MediaStream> {
  const devices = mediaDevices();
  if (!trackProcessor()) {
    throw new CameraError("unsupported", "This browser cannot hand camera frames to the analysis " +
      "(MediaStreamTrackProcessor is missing); use a recent Chrome or Edge.");
  }
  let deviceId: string | undefined;
  if (device) {
    const known = await listCameras().catch(() => [] as CameraDevice[]);
    const match = known.find((d) => d.deviceId === device) ?? known.find((d) => d.label.toLowerCase().includes(device.toLowerCase()));
    deviceId = match?.deviceId ?? device;
  }
  try {
    return await devices.getUserMedia({
      audio: false,
      video: {
        width: { ideal: CAMERA_WIDTH },
        height: { ideal: CAMERA_HEIGHT },
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      },
    });
  } catch (error) {
    throw cameraError(error, device);
  }
}

/** The message for a camera that stopped delivering while we were recording. */
export function cameraEndedError(): CameraError {
  return new CameraError("camera-ended", "The camera stopped while recording (unplugged, switched off or taken " +
    "by another program); what was recorded until then is kept.");
}

/** The track's frames as a stream (transferable to a worker), timestamps in µs as the camera gave them. */
export function trackFrames(track: MediaStreamTrack): ReadableStream<VideoFrame> {
  const Processor = trackProcessor();
  if (!Processor) throw new CameraError("unsupported", "This browser has no MediaStreamTrackProcessor; use a recent Chrome or Edge.");
  return new Processor({ track }).readable;
}

/**
 * A copy of a camera frame that owns its own memory, with timestamp `timestampUs`. Camera frames
 * come from a small pool (Chromium's fake camera stalls for good once 4 are held), so the camera
 * frame is copied at once and closed by the caller; the analysis and the encoder keep the copy.
 */
export async function copyFrame(frame: VideoFrame, timestampUs: number): Promise<VideoFrame> {
  const size = { displayWidth: frame.displayWidth, displayHeight: frame.displayHeight };
  if (frame.format) {
    const rect = frame.visibleRect ?? undefined;
    const data = new Uint8Array(frame.allocationSize(rect ? { rect } : {}));
    const layout = await frame.copyTo(data, rect ? { rect } : {});
    return new VideoFrame(data, {
      format: frame.format, codedWidth: rect?.width ?? frame.codedWidth, codedHeight: rect?.height ?? frame.codedHeight,
      timestamp: timestampUs, layout, ...size, ...(frame.colorSpace ? { colorSpace: frame.colorSpace.toJSON() } : {}),
    });
  }
  // An opaque (GPU) frame: through a bitmap, which holds its own copy of the picture.
  const bitmap = await createImageBitmap(frame);
  try {
    return new VideoFrame(bitmap, { timestamp: timestampUs, ...size });
  } finally {
    bitmap.close();
  }
}

/** Stops every track of the stream (the camera light goes off). */
export function closeCamera(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}
