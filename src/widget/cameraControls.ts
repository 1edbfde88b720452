// The widget's camera row: a Camera/Stop button, a camera choice (shown when there is more than
// one), an optional duration, and the live preview while recording. DOM only.
import type { CameraRequest } from "./clipAnalysis";

export interface CameraControls {
  root: HTMLElement;
  /** A recording started with this stream: show it, turn the button into Stop. */
  started(stream: MediaStream): void;
  /** The recording is over: hide the preview, back to Camera. */
  stopped(): void;
  dispose(): void;
}

export interface CameraControlsCallbacks {
  onStart(request: CameraRequest): void;
  onStop(): void;
}

/** Parses the duration field: a positive number of seconds, or undefined (until Stop). */
export function parseSeconds(text: string): number | undefined {
  const value = Number(text.trim());
  return text.trim() && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function buildCameraControls(doc: Document, callbacks: CameraControlsCallbacks): CameraControls {
  const root = doc.createElement("div");
  root.className = "facescope-camera";

  const button = doc.createElement("button");
  button.type = "button";
  button.className = "facescope-camera-button";
  button.textContent = "Camera";
  button.title = "Record from a camera and analyse it live";

  const devices = doc.createElement("select");
  devices.className = "facescope-camera-device";
  devices.title = "Camera";
  devices.hidden = true;

  const seconds = doc.createElement("input");
  seconds.type = "number";
  seconds.min = "1";
  seconds.step = "1";
  seconds.placeholder = "s";
  seconds.title = "Stop after this many seconds (empty: when you press Stop)";
  seconds.className = "facescope-camera-seconds";

  const preview = doc.createElement("video");
  preview.className = "facescope-camera-preview";
  preview.muted = true;
  preview.autoplay = true;
  preview.playsInline = true;
  preview.hidden = true;

  root.append(button, devices, seconds, preview);

  let recording = false;
  const onClick = () => {
    if (recording) callbacks.onStop();
    else callbacks.onStart({ seconds: parseSeconds(seconds.value), device: devices.value || undefined });
  };
  button.addEventListener("click", onClick);

  const mediaDevices = doc.defaultView?.navigator.mediaDevices;
  const refreshDevices = async () => {
    if (!mediaDevices?.enumerateDevices) return;
    const cams = (await mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]))
      .filter((d) => d.kind === "videoinput" && d.deviceId);
    const chosen = devices.value;
    devices.replaceChildren(...cams.map((d, i) => {
      const option = doc.createElement("option");
      option.value = d.deviceId;
      option.textContent = d.label || `Camera ${i + 1}`;
      return option;
    }));
    if (cams.some((d) => d.deviceId === chosen)) devices.value = chosen;
    devices.hidden = cams.length < 2;
  };
  void refreshDevices();
  mediaDevices?.addEventListener?.("devicechange", refreshDevices);

  return {
    root,
    started(stream) {
      recording = true;
      root.dataset.recording = "1";
      button.textContent = "Stop";
      preview.srcObject = stream;
      preview.hidden = false;
      void preview.play().catch(() => undefined);
      void refreshDevices(); // labels appear once the page may use the camera
    },
    stopped() {
      recording = false;
      delete root.dataset.recording;
      button.textContent = "Camera";
      preview.srcObject = null;
      preview.hidden = true;
    },
    dispose() {
      button.removeEventListener("click", onClick);
      mediaDevices?.removeEventListener?.("devicechange", refreshDevices);
      preview.srcObject = null;
      root.remove();
    },
  };
}
