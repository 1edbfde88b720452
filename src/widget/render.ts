// The one render path: anywidget's ESM and the JupyterLab plugin both call `render`.
import { analyzeClip } from "../analysis/session";
import { ClipAnalysis } from "./clipAnalysis";
import { listenForClips, requestClip } from "./clipChannel";
import { buildLayout } from "./layout";
import type { Cleanup, RenderProps, ViewState } from "./model";
import { requestModel } from "./modelChannel";
import { buildProgress } from "./progress";
import { injectStyle } from "./style";
import { ViewerHost } from "./viewer";

export function render({ model, el }: RenderProps): Cleanup {
  const doc = el.ownerDocument;
  injectStyle(doc);
  let state: ViewState = "loading";
  const setState = (next: ViewState, message: string) => {
    state = next;
    layout.setState(next, message);
    model.set("status", next);
    model.set("message", message);
    model.set("error", next === "error" ? message : "");
    model.save_changes();
  };

  const layout = buildLayout(el, (file) => void analysis.run(file));
  const progress = buildProgress(doc, () => analysis.cancel("cancel"));
  layout.progressSlot.append(progress.root);

  const applyHeight = () => layout.setHeight(Number(model.get("height")) || 640);
  applyHeight();
  model.on("change:height", applyHeight);

  const startViewer = () => {
    const host = new ViewerHost(layout.viewerHost, {
      onReady: () => {
        if (state !== "loading") return;
        setState("idle", "Viewer ready: drop a video to analyse it");
        requestClip(model); // a clip given in Python (FaceScope("clip.mp4")) starts now
      },
      onError: (message) => setState("error", message),
    });
    void host.start();
    return host;
  };
  let viewer = startViewer();
  setState("loading", "Loading the Rerun viewer…");

  let modelBytes: Promise<Uint8Array> | null = null;
  const analysis = new ClipAnalysis({
    model,
    progress,
    setState,
    viewerFor: (clip) => {
      if (clip > 0) {
        // A second clip replaces the first: a fresh viewer holds only the new recording.
        viewer.dispose();
        viewer = startViewer();
      }
      return viewer;
    },
    fetchModel: () => {
      modelBytes ??= requestModel(model);
      modelBytes.catch(() => (modelBytes = null)); // let a later clip ask again
      return modelBytes;
    },
    analyze: analyzeClip,
  });

  const stopClips = listenForClips(model, (file) => void analysis.run(file));

  return () => {
    stopClips();
    model.off("change:height", applyHeight);
    analysis.dispose();
    viewer.dispose();
    progress.dispose();
    layout.dispose();
  };
}
