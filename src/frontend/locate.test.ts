import { APP_DIR, APP_FILE, appUrl } from "./locate";

describe("appUrl", () => {
  it("points into the labextension folder served by the Jupyter server", () => {
    const url = appUrl({ fullLabextensionsUrl: "/lab/extensions" }, "http://127.0.0.1:8888/lab/tree/a.ipynb", "1.2.3");
    expect(url).toBe(`http://127.0.0.1:8888/lab/extensions/${APP_DIR}${APP_FILE}?v=1.2.3`);
  });

  it("keeps a JupyterHub-style base URL", () => {
    const url = appUrl({ fullLabextensionsUrl: "/user/ann/lab/extensions/" }, "https://hub.example/user/ann/notebooks/x.ipynb", "0.1.0");
    expect(url).toBe(`https://hub.example/user/ann/lab/extensions/${APP_DIR}${APP_FILE}?v=0.1.0`);
  });

  it("falls back to baseUrl when the extensions URL is missing", () => {
    const url = appUrl({ baseUrl: "/base/" }, "http://h/base/lab", "1");
    expect(url).toBe(`http://h/base/lab/extensions/${APP_DIR}${APP_FILE}?v=1`);
  });

  it("gives null outside a Jupyter page", () => {
    expect(appUrl(null, "vscode-webview://x", "1")).toBeNull();
    expect(appUrl({}, "http://h/", "1")).toBeNull();
  });
});
