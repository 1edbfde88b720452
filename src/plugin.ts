// The JupyterLab / Notebook 7 extension. It exists for its files: @jupyterlab/builder turns it
// into the prebuilt labextension whose static folder ships the app bundle and its wasm, which the
// Jupyter server then serves same-origin (offline, no CDN). The widget itself is anywidget's
// (facescope/widget.py loads facescope/static/widget.js), so nothing is registered here: a classic
// @jupyter-widgets model of our own would be one no Python class asks for.
const plugin = {
  id: "facescope:plugin",
  autoStart: true,
  activate(): void {
    // Nothing to do: the files are the point.
  },
};

export default plugin;
