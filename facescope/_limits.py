"""Sizes the kernel and the browser agree on. The front end's twin is ``src/limits.ts`` (same
names); ``tests/test_options.py`` checks that the two agree.

>>> too_large_message("big.mp4", 3 * 2**30)
'big.mp4 is 3.0 GiB; facescope analyses clips up to 1 GiB (trim it, or lower its resolution with ffmpeg)'
"""

from __future__ import annotations

#: Clips larger than this are refused before anything is sent: the browser holds the whole clip
#: in memory (and a second copy while the viewer plays it).
MAX_CLIP_BYTES = 1 << 30

#: Browser → kernel: the buffers of one widget message add up to at most this. The Jupyter server
#: silently drops browser → kernel messages above ~10 MiB; the kernel refuses a part above it.
TO_KERNEL_MESSAGE_BYTES = 6 << 20

#: Kernel → browser: clips and restored recordings go in chunks of at most this (messages of
#: 20 MiB arrive, but smaller pieces keep the channel responsive); so do the front end's files,
#: gzip-compressed (``_frontend.CHUNK_BYTES``: half of this raw).
TO_BROWSER_MESSAGE_BYTES = 8 << 20


def too_large_message(name: str, size: int) -> str:
    """The words for a clip above ``MAX_CLIP_BYTES`` (the widget says the same)."""
    return (
        f"{name} is {size / 2**30:.1f} GiB; facescope analyses clips up to {MAX_CLIP_BYTES / 2**30:.0f} GiB "
        "(trim it, or lower its resolution with ffmpeg)"
    )
