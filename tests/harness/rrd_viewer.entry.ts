/**
 * Test page for the RRD writer: the real @rerun-io/web-viewer 0.33.0 fed through open_channel().
 * Exposes `window.rrdHarness` for tests/rrd/test_rrd_viewer.py: start the viewer, send RRD bytes
 * (fetched from a URL or given as base64), read events and time ranges.
 */
import { WebViewer } from "@rerun-io/web-viewer";

interface Harness {
  start(): Promise<void>;
  sendUrl(url: string): Promise<number>;
  sendBase64(data: string): void;
  events: Array<Record<string, unknown>>;
  timeRange(recordingId: string, timeline: string): { min: number; max: number } | null;
  activeTimeline(recordingId: string): string | null;
}

let viewer: WebViewer | undefined;
let channel: ReturnType<WebViewer["open_channel"]> | undefined;
const events: Array<Record<string, unknown>> = [];

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what}: call start() first`);
  return value;
};

const harness: Harness = {
  async start() {
    viewer = new WebViewer();
    await viewer.start(null, document.getElementById("root"), {
      render_backend: "webgl", hide_welcome_screen: true, width: "100%", height: "100%",
    });
    viewer.on("recording_open", (e) => events.push({ ...e }));
    channel = viewer.open_channel("facescope-test");
  },
  async sendUrl(url) {
    const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
    need(channel, "sendUrl").send_rrd(bytes);
    return bytes.length;
  },
  sendBase64(data) {
    need(channel, "sendBase64").send_rrd(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
  },
  events,
  timeRange: (recordingId, timeline) => need(viewer, "timeRange").get_time_range(recordingId, timeline) ?? null,
  activeTimeline: (recordingId) => need(viewer, "activeTimeline").get_active_timeline(recordingId),
};

(window as unknown as { rrdHarness: Harness }).rrdHarness = harness;
