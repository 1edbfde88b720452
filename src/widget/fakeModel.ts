// A widget model backed by a Map, for unit tests of views (jest only).
import type { Listener, WidgetModel } from "./model";

export class FakeModel implements WidgetModel {
  readonly values = new Map<string, unknown>();
  readonly listeners = new Map<string, Set<Listener>>();
  saves = 0;
  readonly sent: unknown[] = [];

  constructor(initial: Record<string, unknown> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  get(name: string): unknown {
    return this.values.get(name);
  }

  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  save_changes(): void {
    this.saves += 1;
  }

  on(event: string, callback: Listener): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(callback);
  }

  off(event?: string | null, callback?: Listener | null): void {
    if (!event) this.listeners.clear();
    else if (!callback) this.listeners.delete(event);
    else this.listeners.get(event)?.delete(callback);
  }

  send(content: unknown): void {
    this.sent.push(content);
  }

  /** Simulates a custom message from the kernel. */
  custom(content: unknown, buffers: readonly unknown[]): void {
    for (const cb of [...(this.listeners.get("msg:custom") ?? [])]) cb(content, buffers);
  }

  /** Simulates a change arriving from the kernel. */
  change(name: string, value: unknown): void {
    this.set(name, value);
    for (const cb of this.listeners.get(`change:${name}`) ?? []) cb(this, value);
  }
}
