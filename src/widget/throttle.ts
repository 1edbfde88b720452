// Rate-limits a stream of values (the viewer's cursor while the user scrubs or the clip plays):
// at most one call per interval, and the last value is always delivered, so the kernel ends on
// where the cursor stopped rather than somewhere along the way.

export interface Throttled<T> {
  (value: T): void;
  /** Delivers a held value now (if any) and stops the timer. */
  flush(): void;
  /** Drops a held value and stops the timer. */
  cancel(): void;
}

/** `deliver` gets the first value at once, then at most one value per `intervalMs` (the latest). */
export function throttle<T>(deliver: (value: T) => void, intervalMs = 100): Throttled<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let held: { value: T } | null = null;
  const tick = () => {
    timer = null;
    if (held === null) return;
    const { value } = held;
    held = null;
    deliver(value);
    timer = setTimeout(tick, intervalMs); // a quiet interval after each delivery
  };
  const throttled = ((value: T) => {
    held = { value };
    if (timer === null) tick();
  }) as Throttled<T>;
  throttled.flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (held !== null) tick();
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  throttled.cancel = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    held = null;
  };
  return throttled;
}
