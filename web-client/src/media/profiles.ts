/**
 * What each kind of publisher sends. The lecturer's camera is the one stream everybody watches
 * at different sizes, so it is simulcast; a room camera or a speaker's camera only feeds a tile,
 * so one low layer keeps the uplink of a school network small.
 */
import type { ProducerOptions, RtpCapabilities } from 'mediasoup-client/types';

export type CameraProfile = 'simulcast' | 'low';

export interface PublishProfile {
  constraints: MediaStreamConstraints;
  options: Omit<ProducerOptions, 'track' | 'appData'>;
}

export function cameraProfile(profile: CameraProfile, caps: RtpCapabilities): PublishProfile {
  const vp8 = caps.codecs?.find((c) => c.mimeType.toLowerCase() === 'video/vp8');
  if (profile === 'simulcast') {
    return {
      constraints: { video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } } },
      options: {
        codec: vp8,
        encodings: [
          { scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
          { scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
          { scaleResolutionDownBy: 1, maxBitrate: 1_200_000, scalabilityMode: 'L1T3' },
        ],
        codecOptions: { videoGoogleStartBitrate: 1000 },
      },
    };
  }
  return {
    constraints: { video: { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { max: 24 } } },
    options: { codec: vp8, encodings: [{ maxBitrate: 300_000 }] },
  };
}

export const microphoneProfile: PublishProfile = {
  constraints: { audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } },
  options: { codecOptions: { opusStereo: false, opusDtx: true, opusFec: true } },
};

/**
 * Slides and code: sharp text matters more than motion. Two simulcast layers, so a site on a
 * weak link still gets the slides: the SFU forwards it the half-size layer at a few frames per
 * second (about 200 kbit/s; 960×540 of a 1080p screen stays legible for slides) while everyone
 * else gets the full one.
 */
export const screenOptions: PublishProfile['options'] = {
  encodings: [
    { scaleResolutionDownBy: 2, maxBitrate: 200_000, maxFramerate: 5 },
    { scaleResolutionDownBy: 1, maxBitrate: 1_500_000, maxFramerate: 15 },
  ],
};
export const screenConstraints: DisplayMediaStreamOptions = {
  video: { frameRate: { max: 15 } },
  audio: false,
};
