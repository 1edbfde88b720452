"""Clips the browser cannot read, made readable in Python first: FLV (VP6, Sorenson), AVI (MPEG-4
Part 2), ProRes .mov, MPEG-TS … become an MP4 the page analyses like any other.

The page reads MP4/MOV and WebM/MKV with the codecs Chromium decodes (H.264, VP8, VP9, AV1) and PNG
or JPEG stills. Anything else FFmpeg (through PyAV) opens is converted: remuxed into MP4 when its
video is already H.264, else transcoded to H.264 (x264 preset ``fast``, CRF 16: a near-lossless copy
for analysis, not for viewing). Every frame keeps its presentation time (``time`` and ``frame_idx``
then match what FFmpeg reports for the original) because the packets or frames carry their own pts
into the output in the input's time base. Audio is dropped: nothing analyses it.

HEVC is left to the browser on purpose: whether Chromium decodes it depends on the platform (Chrome
on macOS and Windows does, with the hardware decoder), and the page's own message says how to convert
it where it cannot. A file FFmpeg cannot open is left alone too, so the page gives it today's message
(empty, not a video, truncated …).

>>> from facescope._convert import readable
>>> with readable("interview.flv") as clip:              # doctest: +SKIP
...     clip.path, clip.converted_from                    # (…/interview.mp4, "FLV/vp6f")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ._private import private_tempdir

# Containers (FFmpeg demuxer names) and codecs the page reads by itself.
_PAGE_CODECS = {
    "mov,mp4,m4a,3gp,3g2,mj2": {"h264", "hevc", "av1", "vp9"},
    "matroska,webm": {"h264", "hevc", "vp8", "vp9", "av1"},
}
# Stills the page reads; FFmpeg opens them through these demuxers.
_STILL_DEMUXERS = {"png_pipe", "jpeg_pipe", "image2"}
# Short names a user knows, for the message "converted from FLV/vp6f".
_CONTAINER_LABELS = {
    "flv": "FLV",
    "avi": "AVI",
    "mov,mp4,m4a,3gp,3g2,mj2": "MOV",
    "matroska,webm": "MKV",
    "mpegts": "MPEG-TS",
    "mpeg": "MPEG-PS",
    "asf": "ASF",
    "ogg": "Ogg",
}


@dataclass(frozen=True)
class Readable:
    """The clip to hand to the page: ``path`` itself, or its MP4 conversion (``converted_from`` then
    names what it was, e.g. ``"FLV/vp6f"``)."""

    path: Path
    converted_from: str | None = None


def needs_conversion(path: str | Path) -> str | None:
    """``"CONTAINER/codec"`` of a clip the page cannot read but FFmpeg can; ``None`` for a clip the
    page reads (or that FFmpeg cannot open: the page then says what is wrong with it). Without PyAV
    (``pip install facescope[headless]``) nothing is converted and the page says what it cannot read."""
    try:
        import av
    except ImportError:
        return None

    try:
        with av.open(str(path)) as container:
            demuxer = container.format.name
            if demuxer in _STILL_DEMUXERS or not container.streams.video:
                return None
            codec = container.streams.video[0].codec_context.codec.canonical_name
    except (av.FFmpegError, UnicodeDecodeError, ValueError):
        return None
    if codec in _PAGE_CODECS.get(demuxer, ()):
        return None
    return f"{_CONTAINER_LABELS.get(demuxer, demuxer.split(',')[0].upper())}/{codec}"


@contextlib.contextmanager
def readable(path: str | Path) -> Iterator[Readable]:
    """The clip as the page can read it; a conversion lives in a private temporary directory that
    goes when the block ends."""
    path = Path(path)
    source = needs_conversion(path)
    if source is None:
        yield Readable(path)
        return
    with private_tempdir("facescope-convert-") as tmp:
        out = Path(tmp) / (path.stem + ".mp4")
        convert(path, out)
        yield Readable(out, source)


def read_for_page(path: str | Path) -> tuple[bytes, str | None]:
    """The bytes of ``path`` as the page can read them, and what they were converted from (the
    widget's way). Raises ValueError when FFmpeg opened the clip but could not convert it."""
    try:
        with readable(path) as clip:
            return clip.path.read_bytes(), clip.converted_from
    except ConversionError as error:
        raise ValueError(str(error)) from error


def convert(src: str | Path, dst: str | Path) -> Path:
    """Writes ``src``'s first video track to ``dst`` as MP4: remuxed if it is H.264, else transcoded
    to H.264; each frame keeps its presentation time. Raises ``ConversionError`` when FFmpeg fails."""
    import av

    dst = Path(dst)
    try:
        with av.open(str(src)) as inp:
            stream = inp.streams.video[0]
            if stream.codec_context.codec.canonical_name == "h264":
                with contextlib.suppress(_RemuxRefused):
                    _remux(inp, stream, dst)
                    return dst
                inp.seek(0)
            _transcode(inp, stream, dst)
    except av.FFmpegError as error:
        raise ConversionError(f"FFmpeg could not convert {Path(src).name} to MP4: {error}") from error
    return dst


class ConversionError(Exception):
    """FFmpeg opened the clip but could not turn it into an MP4."""


class _RemuxRefused(Exception):
    """Packets without timestamps: copying them would lose the frames' times, so transcode."""


def _remux(inp, stream, dst: Path) -> None:
    import av

    with av.open(str(dst), "w", format="mp4") as out:
        copy = out.add_stream_from_template(stream)
        for packet in inp.demux(stream):
            if packet.dts is None:  # the demuxer's flush packet
                continue
            if packet.pts is None:
                raise _RemuxRefused
            packet.stream = copy
            out.mux(packet)
    # A container that would not take the packets leaves no file that looks complete.
    if not dst.stat().st_size:
        raise av.FFmpegError(0, "empty output")


def _transcode(inp, stream, dst: Path) -> None:
    import av

    time_base = stream.time_base or Fraction(1, 90_000)
    rate = stream.average_rate or stream.guessed_rate or Fraction(25)
    with av.open(str(dst), "w", format="mp4") as out:
        enc = out.add_stream("libx264", rate=rate)
        # x264 wants even sizes for 4:2:0; a pixel less is invisible to the analysis.
        enc.width = stream.codec_context.width - stream.codec_context.width % 2
        enc.height = stream.codec_context.height - stream.codec_context.height % 2
        enc.pix_fmt = "yuv420p"
        # The input's time base, on the codec and the stream: with only the rate, x264 rounds each
        # time to the frame grid (an FLV's 25 ms became 40 ms).
        enc.codec_context.time_base = time_base
        enc.time_base = time_base
        # No B-frames: presentation order is decode order, so every pts goes out as it came in.
        enc.options = {"preset": "fast", "crf": "16", "x264-params": "bframes=0"}
        last = None
        for frame in _frames(inp, stream):
            if frame.pts is None or (last is not None and frame.pts <= last):
                continue  # a frame without a time, or a repeat, has no place in the timeline
            last = frame.pts
            picture = frame.reformat(width=enc.width, height=enc.height, format="yuv420p")
            picture.pts, picture.time_base = frame.pts, time_base
            out.mux(enc.encode(picture))
        out.mux(enc.encode(None))


def _frames(inp, stream):
    """The decodable frames; a file cut short ends where its data ends (the page then analyses what
    there is, as it does with a truncated MP4)."""
    import av

    try:
        yield from inp.decode(stream)
    except av.InvalidDataError:
        return
