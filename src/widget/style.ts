// The widget's CSS travels inside the app bundle, so every host (anywidget, the JupyterLab
// plugin, the headless page) gets it without a separate stylesheet request.
import css from "../../style/facescope.css";

const STYLE_ID = "facescope-style";

export function injectStyle(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement("style");
  style.id = STYLE_ID;
  style.textContent = css;
  doc.head.append(style);
}
