// The app bundle: everything heavy (viewer, inference, writer) is reached from here. The widget
// renders with `render`; the headless analyser (`python -m facescope analyze`) drives
// `runHeadless`; a loader that ran the app from a blob: URL tells it where its files are first.
export { setAssetResolver } from "./assets";
export { render } from "./widget/render";
export { analyzeClip, AnalysisFailure } from "./analysis/session";
export { runHeadless } from "./headless/driver";
