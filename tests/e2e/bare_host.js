// The page side of tests/e2e/bare_host.py: an anywidget host with no Jupyter around it.
// It gives the widget's module anywidget's AnyModel (get, set, save_changes, on/off for
// "change:x" and "msg:custom", send(content, callbacks, buffers)) backed by one WebSocket to the
// Python widget, fetches the widget's module from the kernel side's origin (not this page's),
// imports it from a blob: URL as anywidget does with `_esm`, and renders it. window.bareHost tells
// the test how far it got.
const host = { state: "connecting", error: null, sent: 0, received: 0 };
window.bareHost = host;

function fail(error) {
  host.state = "failed";
  host.error = String(error?.stack ?? error);
  console.error(`bare host: ${host.error}`);
}

function encode(header, buffers) {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const parts = [head, ...buffers];
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.byteLength, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const part of parts) {
    view.setUint32(at, part.byteLength, true);
    out.set(part, at + 4);
    at += 4 + part.byteLength;
  }
  return out;
}

function decode(frame) {
  const view = new DataView(frame);
  const size = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(frame, 4, size)));
  const buffers = [];
  for (let at = 4 + size; at < frame.byteLength;) {
    const n = view.getUint32(at, true);
    buffers.push(new DataView(frame, at + 4, n));
    at += 4 + n;
  }
  return [header, buffers];
}

/** Bytes of what a widget may pass to send(): an ArrayBuffer or any view of one. */
function bytesOf(buffer) {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  throw new TypeError(`send(): a buffer must be an ArrayBuffer or a view, got ${Object.prototype.toString.call(buffer)}`);
}

/** Puts binary values back where ipywidgets' _remove_buffers took them out of a state. */
function putBuffers(state, paths, buffers) {
  paths.forEach((path, i) => {
    let target = state;
    for (const key of path.slice(0, -1)) target = target[key];
    target[path[path.length - 1]] = buffers[i];
  });
}

class BridgeModel {
  #state;
  #socket;
  #dirty = new Set();
  #listeners = new Map(); // event name → Set of callbacks

  constructor(state, socket) {
    this.#state = state;
    this.#socket = socket;
  }

  get(name) { return this.#state[name]; }

  set(name, value) {
    this.#state[name] = value;
    this.#dirty.add(name);
    this.#emit(`change:${name}`, this, value); // Backbone's arguments: (model, value)
  }

  save_changes() {
    if (!this.#dirty.size) return;
    const state = Object.fromEntries([...this.#dirty].map((k) => [k, this.#state[k]]));
    this.#dirty.clear();
    this.#write({ method: "update", state, buffer_paths: [] }, []);
  }

  on(event, callback) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(callback);
  }

  off(event, callback) {
    for (const [name, set] of this.#listeners) {
      if (event && name !== event) continue;
      if (callback) set.delete(callback);
      else set.clear();
    }
  }

  send(content, _callbacks, buffers = []) {
    // Jupyter's callbacks (iopub status and the like) have no meaning without a kernel; anywidget
    // hosts that are not Jupyter ignore them too.
    this.#write({ method: "custom", content }, buffers.map(bytesOf));
  }

  /** A message from Python: a trait update, or a custom message with its buffers. */
  receive(data, buffers) {
    if (data.method === "update") {
      putBuffers(data.state, data.buffer_paths ?? [], buffers);
      for (const [name, value] of Object.entries(data.state)) {
        this.#state[name] = value;
        this.#emit(`change:${name}`, this, value);
      }
    } else if (data.method === "custom") {
      this.#emit("msg:custom", data.content, buffers);
    } // echo_update repeats what this page set itself
  }

  #write(data, buffers) {
    host.sent += 1;
    this.#socket.send(encode({ data }, buffers));
  }

  #emit(event, ...args) {
    for (const callback of [...(this.#listeners.get(event) ?? [])]) {
      try {
        callback(...args);
      } catch (error) {
        console.error(`bare host: a ${event} listener threw`, error);
      }
    }
  }
}

/** Imports the widget's module and initialises it; resolves with the model and the widget. */
async function load(state, socket) {
  const model = new BridgeModel(state, socket);
  if (typeof state._css === "string" && state._css) {
    const style = document.createElement("style");
    style.textContent = state._css;
    document.head.append(style);
  }
  host.state = "importing";
  const response = await fetch(new URL(`esm/${id}.js`, kernel));
  if (!response.ok) throw new Error(`the widget's module: HTTP ${response.status} from ${response.url}`);
  const url = URL.createObjectURL(new Blob([await response.text()], { type: "text/javascript" }));
  const module = await import(url);
  const widget = typeof module.default === "function" ? await module.default() : module.default;
  await widget.initialize?.({ model, experimental });
  return { model, widget };
}

const experimental = { invoke: () => Promise.reject(new Error("the bare host has no invoke()")) };

const params = new URLSearchParams(location.search);
const id = params.get("model");
const kernel = new URL(params.get("kernel")); // another origin than this page's
const socket = new WebSocket(`ws://${kernel.host}/ws/${id}`);
socket.binaryType = "arraybuffer";
let loaded = null;
socket.onmessage = (event) => {
  host.received += 1;
  const [{ msg_type: type, data }, buffers] = decode(event.data);
  if (type === "comm_open") {
    putBuffers(data.state, data.buffer_paths ?? [], buffers);
    loaded = load(data.state, socket);
    loaded.then(async ({ model, widget }) => {
      host.state = "rendering";
      await widget.render?.({ model, el: document.getElementById("widget"), experimental });
      host.state = "rendered";
    }).catch(fail);
  } else if (type === "comm_msg") {
    // Messages wait for the module to be initialised, as a Jupyter widget manager's do.
    loaded.then(({ model }) => model.receive(data, buffers)).catch(fail);
  }
};
socket.onerror = () => fail("the WebSocket to the Python widget failed");
socket.onclose = () => { if (host.state !== "failed") host.state = "closed"; };
