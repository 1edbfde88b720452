// Loaded into every e2e page before the app: reports a VideoFrame that the page's own code made or
// received and then dropped without close(). Chromium's own warning for that cannot be used: the
// Rerun viewer deliberately leaves frames to the garbage collector when it resets a video decoder
// (rerun-io/rerun#10608, a Firefox crash workaround), so the browser's message says nothing about
// our code. Frames the viewer's decoders make (decoders created from wasm) are not watched.
(() => {
  if (typeof VideoFrame === "undefined") return;
  const MESSAGE = "facescope test guard: a VideoFrame was dropped without close(), made by ";
  const registry = new FinalizationRegistry((origin) => console.error(MESSAGE + origin));
  const tokens = new WeakMap();
  const origin = () => (new Error().stack || "").split("\n").slice(3, 6).map((l) => l.trim().replace(/^at /, "")).join(" < ");
  const watch = (frame, how) => {
    const token = {};
    tokens.set(frame, token);
    registry.register(frame, how, token);
    return frame;
  };
  const settle = (frame) => {
    const token = tokens.get(frame);
    if (token) registry.unregister(token);
  };
  const Native = VideoFrame;
  const { close, clone } = Native.prototype;
  Native.prototype.close = function () { settle(this); return close.call(this); };
  Native.prototype.clone = function () { return watch(clone.call(this), `clone() at ${origin()}`); };
  window.VideoFrame = new Proxy(Native, {
    construct: (target, args) => watch(Reflect.construct(target, args), `new VideoFrame at ${origin()}`),
  });
  if (typeof VideoDecoder !== "undefined") window.VideoDecoder = new Proxy(VideoDecoder, {
    construct(target, [init]) {
      const where = origin();
      if (where.includes("wasm")) return Reflect.construct(target, [init]); // the Rerun viewer's
      return Reflect.construct(target, [{ ...init, output: (f) => init.output(watch(f, `VideoDecoder made at ${where}`)) }]);
    },
  });
  // A transferred frame is closed on this side without close(); a frame from a worker is ours to close.
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, transfer) {
    const list = Array.isArray(transfer) ? transfer : transfer?.transfer ?? [];
    for (const item of list) if (item instanceof Native) settle(item);
    return post.call(this, message, transfer);
  };
  const handler = Object.getOwnPropertyDescriptor(Worker.prototype, "onmessage");
  if (handler) Object.defineProperty(Worker.prototype, "onmessage", {
    configurable: true,
    get: handler.get,
    set(fn) {
      handler.set.call(this, fn && ((event) => {
        if (event.data?.frame instanceof Native) watch(event.data.frame, `a "${event.data.type}" message from a worker`);
        return fn(event);
      }));
    },
  });
})();
