// Sizes the browser and the kernel agree on. The Python twin is facescope/_limits.py (same names);
// tests/test_options.py checks that the two agree. This module imports nothing, so every layer may use it.

/** Clips above this are refused before they are read: the browser holds the whole clip in memory
 * (and a second copy while the viewer plays it). */
export const MAX_CLIP_BYTES = 2 ** 30;

/** Browser → kernel: the buffers of one widget message add up to at most this (a single part may
 * reach it alone). The Jupyter server silently drops browser → kernel messages above ~10 MiB. */
export const TO_KERNEL_MESSAGE_BYTES = 6 * 2 ** 20;

/** Kernel → browser: clips and restored recordings arrive in chunks of at most this. */
export const TO_BROWSER_MESSAGE_BYTES = 8 * 2 ** 20;

/** The words for a clip above MAX_CLIP_BYTES (Python's too_large_message says the same). */
export function tooLargeMessage(name: string, size: number): string {
  return `${name} is ${(size / 2 ** 30).toFixed(1)} GiB; facescope analyses clips up to ${MAX_CLIP_BYTES / 2 ** 30} GiB ` +
    "(trim it, or lower its resolution with ffmpeg)";
}
