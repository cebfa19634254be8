#!/usr/bin/env bash
# Pre-encodes the load test's media once, so a run only loops packets and never encodes live
# (live-encoding testsrc costs a third of a core and its bitrate wobbles under load).
#
#   bash load-tests/media/encode-clips.sh [DIR]     (default ~/.cache/tongtang/clips)
#
# Writes, if missing:
#   cam-180.ivf cam-360.ivf cam-720.ivf   VP8 camera, three simulcast layers, 30 fps, same frames
#   screen-720.ivf                        VP8 slides-like screen share, 5 fps
#   mic.ogg                               Opus 48 kHz mono, 20 ms frames
# A key frame every 2 s bounds how long a new receiver waits; the publisher also answers a
# PLI by restarting the current group of pictures, as a browser answers with a fresh key frame.
set -euo pipefail
dir="${1:-${HOME}/.cache/tongtang/clips}"
seconds=10
mkdir -p "$dir"
command -v ffmpeg >/dev/null || { echo "ffmpeg is required (apt-get install ffmpeg)" >&2; exit 1; }

vp8() { # name size fps kbps gop source
  local out="$dir/$1.ivf"
  [[ -s "$out" ]] && return 0
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$6=size=$2:rate=$3" -t "$seconds" \
    -c:v libvpx -b:v "$4k" -minrate "$4k" -maxrate "$4k" -bufsize "$(( $4 / 2 ))k" \
    -g "$(( $3 * $5 ))" -keyint_min "$(( $3 * $5 ))" -auto-alt-ref 0 -lag-in-frames 0 \
    -deadline good -cpu-used 4 -pix_fmt yuv420p -f ivf "$out.tmp"
  mv "$out.tmp" "$out"
}

vp8 cam-180 320x180 30 150 2 testsrc2
vp8 cam-360 640x360 30 500 2 testsrc2
vp8 cam-720 1280x720 30 1200 2 testsrc2
vp8 screen-720 1280x720 5 300 5 testsrc

if [[ ! -s "$dir/mic.ogg" ]]; then
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "sine=frequency=440:sample_rate=48000" -t "$seconds" \
    -ac 1 -c:a libopus -b:a 32k -frame_duration 20 -application voip -f ogg "$dir/mic.ogg.tmp"
  mv "$dir/mic.ogg.tmp" "$dir/mic.ogg"
fi
echo "$dir"
