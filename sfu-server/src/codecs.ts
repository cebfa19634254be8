/** What every router of every lecture speaks; all routers share it so producers can be piped between them. */
import type { types as ms } from 'mediasoup';
import type { MediaKind, MediaSource } from '@tongtang/shared';

export const MEDIA_CODECS: ms.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    // Without a hint libwebrtc starts low (~300 kbps) and a lecturer's slides stay blurry for
    // seconds; 1 Mbps is what the top simulcast layer needs. Simulcast itself is client-side.
    parameters: { 'x-google-start-bitrate': 1000 },
  },
  {
    // Second, so browsers keep publishing VP8 (mediasoup-client takes the router's first codec it
    // supports; the web client also asks for VP8 by name). H.264 is here for hardware that only
    // speaks it (OBS and hardware encoders over WHIP), forwarded as is: constrained baseline with
    // packetization-mode 1 is what those send and what WebRTC browsers decode. The cost: a viewer
    // whose device lacks H.264 cannot consume such a camera, and recordings of it are Matroska.
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

/** The one kind each source may be: checked on produce and on import from another node. */
export const KIND_OF_SOURCE: Readonly<Record<MediaSource, MediaKind>> = { microphone: 'audio', camera: 'video', screen: 'video' };
