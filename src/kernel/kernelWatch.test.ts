import { FakeModel } from "../widget/fakeModel";
import { KernelWatch } from "./kernelWatch";

type StatusCallback = (msg: unknown) => void;

/** A model whose sends keep their iopub status callback, with a JupyterLab-like kernel signal. */
class HostModel extends FakeModel {
  readonly callbacks: StatusCallback[] = [];
  readonly slots = new Set<(sender: unknown, status: string) => void>();
  readonly widget_manager = {
    kernel: { statusChanged: { connect: (f: (s: unknown, a: string) => void) => this.slots.add(f),
                                disconnect: (f: (s: unknown, a: string) => void) => this.slots.delete(f) } },
  };

  override send(content: unknown, callbacks?: unknown): void {
    super.send(content);
    this.callbacks.push((callbacks as { iopub: { status: StatusCallback } }).iopub.status);
  }

  status(s: string): void {
    for (const f of this.slots) f(null, s);
  }
}

const idle = { content: { execution_state: "idle" } };

describe("KernelWatch", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(active = () => true) {
    const model = new HostModel();
    const lost: string[] = [];
    const watch = new KernelWatch(model, "v1", (why) => lost.push(why), { probeEveryMs: 1000, answerGraceMs: 100, active });
    return { model, lost, watch };
  }

  it("sees a restart in the kernel's status and stops listening", () => {
    const t = setup();
    t.model.status("busy");
    t.model.status("idle");
    expect(t.lost).toEqual([]);
    t.model.status("restarting");
    expect(t.lost).toEqual(["the kernel is restarting"]);
    expect(t.model.slots.size).toBe(0);
    t.watch.dispose();
  });

  it("takes two probes handled without an answer for a kernel that forgot the widget", () => {
    const t = setup();
    jest.advanceTimersByTime(1000);
    expect(t.model.sent.at(-1)).toEqual({ type: "kernel-ping", view: "v1", id: 1 });
    t.model.callbacks[0](idle);
    jest.advanceTimersByTime(150);
    expect(t.lost).toEqual([]); // one miss may be a dropped message
    jest.advanceTimersByTime(900);
    t.model.callbacks[1](idle);
    jest.advanceTimersByTime(150);
    expect(t.lost).toEqual(["the kernel no longer knows this widget (it was restarted)"]);
    jest.advanceTimersByTime(5000);
    expect(t.model.sent).toHaveLength(2); // no probe after that
  });

  it("is content with answered probes and patient with a busy kernel", () => {
    const t = setup();
    for (let i = 1; i <= 5; i++) {
      jest.advanceTimersByTime(1000);
      t.watch.answered(i); // the answer comes before the idle status
      t.model.callbacks[i - 1]({ content: { execution_state: "busy" } });
      t.model.callbacks[i - 1](idle);
    }
    jest.advanceTimersByTime(10_000); // then a busy kernel: probes queue, no idle comes
    expect(t.lost).toEqual([]);
    t.watch.dispose();
  });

  it("probes only while active", () => {
    let active = false;
    const t = setup(() => active);
    jest.advanceTimersByTime(5000);
    expect(t.model.sent).toEqual([]);
    active = true;
    jest.advanceTimersByTime(1000);
    expect(t.model.sent).toHaveLength(1);
    t.watch.dispose();
  });

  it("works without a host kernel (the headless page, other hosts)", () => {
    const model = new FakeModel();
    const watch = new KernelWatch(model, "v1", () => undefined, { active: () => false });
    expect(watch.lost).toBe(false);
    watch.dispose();
  });

  it("sends no probes, and no ipywidgets callbacks, where the host has no Jupyter kernel", () => {
    const model = new FakeModel();
    const sends: unknown[][] = [];
    model.send = (...args: unknown[]) => void sends.push(args);
    const lost: string[] = [];
    const watch = new KernelWatch(model, "v1", (why) => lost.push(why), { probeEveryMs: 1000, answerGraceMs: 100 });
    jest.advanceTimersByTime(10_000);
    expect(sends).toEqual([]);
    expect(lost).toEqual([]);
    watch.dispose();
  });
});
