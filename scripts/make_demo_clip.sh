#!/bin/sh
# Re-encodes the four-speaker GRID clip (CC BY 4.0, see facescope/media/NOTICE.md) into the demo clip
# shipped in the package: H.264 (baseline-compatible yuv420p, which every browser decodes), 25 fps,
# all 300 frames, no audio (the widget never plays sound, and AAC would only add bytes), +faststart
# so the browser reads the index first. CRF 20 keeps lips and eyelids as sharp as the source at about 295 kB (CRF 26: 110 kB, visibly blockier mouths).
# Usage: scripts/make_demo_clip.sh [SOURCE] [TARGET]
set -eu
SOURCE=${1:-/work/shared/media/a_talking_grid_4speakers.mp4}
TARGET=${2:-facescope/media/grid_4speakers.mp4}
ffmpeg -hide_banner -loglevel error -y -i "$SOURCE" -an -map_metadata -1 \
  -c:v libx264 -preset veryslow -crf 20 -pix_fmt yuv420p -r 25 -frames:v 300 \
  -movflags +faststart "$TARGET"
ffprobe -v error -select_streams v:0 -count_frames \
  -show_entries stream=codec_name,width,height,r_frame_rate,nb_read_frames,duration -of compact "$TARGET"
ls -l "$TARGET"
