// The app bundle: everything heavy (viewer, inference, writer) is reached from here and loaded
// by URL, so webpack can resolve wasm and worker files next to it. The widget renders with
// `render`; the headless analyser (`python -m facescope analyze`) drives `runHeadless`.
export { render } from "./widget/render";
export { analyzeClip, AnalysisFailure } from "./analysis/session";
export { runHeadless } from "./headless/driver";
