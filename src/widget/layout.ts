// The widget's DOM: a drop zone with a file picker, a status line and the viewer's host element.
// DOM only: nothing here knows about MediaPipe or Rerun.
import type { ViewState } from "./model";

export interface Layout {
  root: HTMLElement;
  /** The top row: file picker, (camera controls,) status. */
  bar: HTMLElement;
  /** Row under the bar for the progress view. */
  progressSlot: HTMLElement;
  viewerHost: HTMLElement;
  setState(state: ViewState, status: string): void;
  setHeight(px: number): void;
  /** Hides the viewer behind `note` (null: shows it again). */
  setViewerWaiting(note: string | null): void;
  dispose(): void;
}

export const ACCEPTED_FILES = "video/*,image/png,image/jpeg,.mp4,.mov,.m4v,.webm,.mkv";

/** Builds the widget inside `el`; `onFile` gets each clip the user picks or drops. */
export function buildLayout(el: HTMLElement, onFile: (file: File) => void): Layout {
  const doc = el.ownerDocument;
  const root = doc.createElement("div");
  root.className = "facescope";

  const bar = doc.createElement("div");
  bar.className = "facescope-bar";

  const picker = doc.createElement("label");
  picker.className = "facescope-drop";
  const input = doc.createElement("input");
  input.type = "file";
  input.accept = ACCEPTED_FILES;
  const hint = doc.createElement("span");
  hint.textContent = "Drop a video here or choose a file";
  picker.append(input, hint);

  const status = doc.createElement("span");
  status.className = "facescope-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  bar.append(picker, status);

  const progressSlot = doc.createElement("div");
  progressSlot.className = "facescope-progress-slot";

  const viewerHost = doc.createElement("div");
  viewerHost.className = "facescope-viewer";

  root.append(bar, progressSlot, viewerHost);
  el.append(root);

  const onChange = () => {
    const file = input.files?.[0];
    if (file) onFile(file);
    input.value = ""; // picking the same file again must fire `change` again
  };
  const onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes("Files")) return;
    event.preventDefault(); // without this the browser would open the file in the tab
    root.classList.add("facescope-dragging");
  };
  const onDragLeave = () => root.classList.remove("facescope-dragging");
  const onDrop = (event: DragEvent) => {
    const file = event.dataTransfer?.files?.[0];
    root.classList.remove("facescope-dragging");
    if (!file) return;
    event.preventDefault();
    onFile(file);
  };
  input.addEventListener("change", onChange);
  root.addEventListener("dragover", onDragOver);
  root.addEventListener("dragleave", onDragLeave);
  root.addEventListener("drop", onDrop);

  return {
    root,
    bar,
    progressSlot,
    viewerHost,
    setState(state, text) {
      root.dataset.state = state;
      status.textContent = text;
      status.classList.toggle("facescope-error", state === "error" || state === "disconnected");
      input.disabled = state === "disconnected"; // nothing could analyse a clip: its kernel is gone
    },
    setViewerWaiting(note) {
      if (note === null) delete viewerHost.dataset.waiting;
      else viewerHost.dataset.waiting = note;
    },
    setHeight(px) {
      viewerHost.style.height = `${Math.max(200, Math.round(px))}px`;
    },
    dispose() {
      input.removeEventListener("change", onChange);
      root.removeEventListener("dragover", onDragOver);
      root.removeEventListener("dragleave", onDragLeave);
      root.removeEventListener("drop", onDrop);
      root.remove();
    },
  };
}
