import { installNetworkGuard, isLocalUrl } from "./privacy";

const base = { href: "http://127.0.0.1:8888/lab/extensions/facescope/static/worker.js", origin: "http://127.0.0.1:8888" };

describe("isLocalUrl", () => {
  it.each([
    ["vision_wasm_internal.wasm", true], ["/files/clip.mp4", true], ["http://127.0.0.1:8888/x", true],
    ["blob:http://127.0.0.1:8888/abc", true], ["data:text/plain,hi", true],
    ["https://odml.pa.googleapis.com/v1/log", false], ["http://127.0.0.1:9999/x", false],
    ["https://127.0.0.1:8888/x", false], ["//cdn.example.com/x.js", false],
  ])("%s → %s", (url, local) => {
    expect(isLocalUrl(url, base)).toBe(local);
  });
});

describe("installNetworkGuard", () => {
  it("passes local requests through and rejects the telemetry endpoint without calling fetch", async () => {
    const calls: string[] = [];
    const scope = {
      location: base,
      fetch: (async (input: RequestInfo | URL) => { calls.push(String(input)); return new Response("ok"); }) as typeof fetch,
    };
    const blocked = installNetworkGuard(scope);
    await expect(scope.fetch("model.task")).resolves.toBeInstanceOf(Response);
    await expect(scope.fetch("https://odml.pa.googleapis.com/v1/log", { method: "POST" })).rejects.toThrow(TypeError);
    await expect(scope.fetch(new Request("https://example.com/"))).rejects.toThrow(/blocked/);
    expect(calls).toEqual(["model.task"]);
    expect(blocked).toEqual(["https://odml.pa.googleapis.com/v1/log", "https://example.com/"]);
  });

  it("guards XMLHttpRequest.open as well", () => {
    const opened: string[] = [];
    class FakeXhr { open(_m: string, url: string) { opened.push(url); } }
    const scope = { location: base, fetch: (async () => new Response()) as typeof fetch, XMLHttpRequest: FakeXhr as never };
    const blocked = installNetworkGuard(scope);
    new FakeXhr().open("GET", "/local");
    expect(() => new FakeXhr().open("POST", "https://odml.pa.googleapis.com/v1/log")).toThrow(/blocked/);
    expect(opened).toEqual(["/local"]);
    expect(blocked).toHaveLength(1);
  });
});
