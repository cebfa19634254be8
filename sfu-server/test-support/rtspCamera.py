"""Test and bench only: an IP camera on 127.0.0.1, served by GStreamer's RTSP server.

Like a classroom's camera it encodes live (H.264 baseline, a key frame every second) with AAC
audio, and serves every client the same stream at rtsp://127.0.0.1:PORT/camera. Port 0 takes a
free port; the bound port is printed as "listening PORT" once clients can connect. Killing the
process is the camera going away; starting it again on the same port is the camera coming back.
Runs with Debian's python3 (python3-gi, gir1.2-gst-rtsp-server-1.0: see scripts/setup.sh --tests).
"""
import sys

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

PIPELINE = (
    '( videotestsrc is-live=true pattern=ball'
    ' ! video/x-raw,width={width},height={height},framerate=25/1'
    ' ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=25 bitrate=800'
    ' ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1'
    ' audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample'
    ' ! audio/x-raw,rate=48000,channels=2 ! avenc_aac bitrate=64000 ! rtpmp4gpay name=pay1 pt=97 )'
)


def main() -> None:
    port, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address('127.0.0.1')
    server.set_service(port)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(PIPELINE.format(width=width, height=height))
    # One encoder for all clients, as a camera has.
    factory.set_shared(True)
    server.get_mount_points().add_factory('/camera', factory)
    if server.attach(None) == 0:
        print(f'cannot listen on 127.0.0.1:{port}', file=sys.stderr, flush=True)
        sys.exit(2)
    print(f'listening {server.get_bound_port()}', flush=True)
    GLib.MainLoop().run()


main()
