// The widget's CSS travels inside the app bundle, so every host (anywidget, the JupyterLab
// plugin, the headless page) gets it without a separate stylesheet request. It goes into the root
// the view lives in: the document, or a shadow root (marimo renders widgets in shadow DOM, where
// a <style> in document.head does not reach); a view not attached yet carries its own copy.
import css from "../../style/facescope.css";

const STYLE_ID = "facescope-style";

export function injectStyle(el: HTMLElement): void {
  const doc = el.ownerDocument;
  const root = el.getRootNode();
  const style = doc.createElement("style");
  style.id = STYLE_ID;
  style.textContent = css;
  if (root === doc) {
    if (!doc.getElementById(STYLE_ID)) doc.head.append(style);
  } else if (typeof ShadowRoot !== "undefined" && root instanceof ShadowRoot) {
    if (!root.getElementById(STYLE_ID)) root.prepend(style);
  } else {
    el.prepend(style);
  }
}
