/**
 * Cameras, microphones and speakers: listing them, asking for a chosen one, and telling apart
 * the ways getUserMedia fails, so the page can say "refused" rather than "something went wrong".
 */
import type { MediaKind } from '@tongtang/shared';

export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
}

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
  speakers: MediaDeviceInfo[];
}

/** Why a camera or microphone could not be opened; null when it is not a device problem. */
export type MediaProblem = 'denied' | 'missing' | 'busy';

/** Chrome and Edge route audio to a chosen output; Firefox and Safari may not. */
export const canChooseSpeaker = typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/**
 * Adds the chosen device to a constraint. `ideal`, not `exact`: when the remembered device was
 * unplugged the browser falls back to another one instead of failing the whole publish.
 */
export function withDevice(constraints: MediaStreamConstraints, kind: MediaKind, deviceId: string | null): MediaStreamConstraints {
  if (!deviceId) return constraints;
  const key = kind === 'audio' ? 'audio' : 'video';
  const base = constraints[key];
  const track: MediaTrackConstraints = typeof base === 'object' ? base : {};
  return { ...constraints, [key]: { ...track, deviceId: { ideal: deviceId } } };
}

export async function userTrack(constraints: MediaStreamConstraints, kind: MediaKind): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia(constraints);
  const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
  if (!track) throw new DOMException(`no ${kind} track`, 'NotFoundError');
  return track;
}

export function mediaProblemOf(err: unknown): MediaProblem | null {
  if (!(err instanceof DOMException) && !(err instanceof Error)) return null;
  switch (err.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return null;
  }
}

/** Labels are empty until the user has granted access once; the UI numbers them then. */
export async function listDevices(): Promise<DeviceLists> {
  const all = navigator.mediaDevices ? await navigator.mediaDevices.enumerateDevices() : [];
  // An unlabelled entry with an empty id is a placeholder, not a device to choose.
  const real = all.filter((d) => d.deviceId !== '');
  return {
    cameras: real.filter((d) => d.kind === 'videoinput'),
    microphones: real.filter((d) => d.kind === 'audioinput'),
    speakers: real.filter((d) => d.kind === 'audiooutput'),
  };
}
