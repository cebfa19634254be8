/**
 * The RTP streams one offered m-line will carry, as mediasoup encodings: RIDs (simulcast as
 * browsers send it, RFC 8853), SSRCs (with a=ssrc-group SIM for the older form and FID pairing
 * each stream with its RTX), or neither, when the client names its packets only by MID.
 */
import type { types as ms } from 'mediasoup';
import type { SdpMedia } from 'sdp-transform';
import { AppError } from '@tongtang/shared';

export const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
export const RID_URI = 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id';

export interface Layering {
  /** mediasoup's order: lowest spatial layer first. */
  encodings: ms.RtpEncodingParameters[];
  /** RIDs in the offer's order, for the answer (empty without RID simulcast). */
  rids: string[];
}

export function encodingsOf(media: SdpMedia, kind: ms.MediaKind, extensionUris: string[], withRtx: boolean): Layering {
  const rids = offeredRids(media);
  if (rids.length > 0) {
    if (!extensionUris.includes(RID_URI)) throw new AppError('BAD_REQUEST', `the ${kind} m= line sends RIDs without the rtp-stream-id header extension, so its streams cannot be told apart`);
    return { encodings: lowestFirst(rids).map((rid) => ({ rid })), rids };
  }
  const ssrcs = [...new Set((media.ssrcs ?? []).map((s) => Number(s.id)))];
  if (ssrcs.length > 0) {
    const groups = (media.ssrcGroups ?? []).map((g) => ({ semantics: g.semantics.toUpperCase(), ssrcs: String(g.ssrcs).split(' ').map(Number) }));
    const rtxOf = new Map(groups.filter((g) => g.semantics === 'FID' && g.ssrcs.length === 2).map((g) => [g.ssrcs[0]!, g.ssrcs[1]!] as const));
    const repairs = new Set(rtxOf.values());
    const sim = groups.find((g) => g.semantics === 'SIM');
    // SIM lists the layers lowest first (as libwebrtc writes it); without it the first media SSRC is the stream.
    const primaries = sim ? sim.ssrcs : ssrcs.filter((s) => !repairs.has(s)).slice(0, 1);
    return {
      encodings: primaries.map((ssrc) => {
        const rtx = withRtx ? rtxOf.get(ssrc) : undefined;
        return rtx === undefined ? { ssrc } : { ssrc, rtx: { ssrc: rtx } };
      }),
      rids: [],
    };
  }
  // No SSRC announced (allowed by JSEP): mediasoup then routes the stream by its MID extension.
  if (!extensionUris.includes(MID_URI)) throw new AppError('BAD_REQUEST', `the ${kind} m= line names no SSRC, no RID and no MID header extension, so its packets cannot be routed`);
  return { encodings: [{}], rids: [] };
}

/** The sending RIDs, in a=simulcast order when there is one (its paused "~" mark dropped: we take all). */
function offeredRids(media: SdpMedia): string[] {
  const declared = (media.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id));
  const { simulcast } = media;
  const list = simulcast?.dir1 === 'send' ? simulcast.list1 : simulcast?.dir2 === 'send' ? simulcast.list2 : undefined;
  if (list === undefined) return declared;
  // "h;m;l" or with alternatives "h,h2;~m;l": one stream per ';', its first alternative.
  const ordered = String(list).split(';').map((stream) => stream.split(',')[0]!.replace(/^~/, ''));
  return declared.length === 0 ? ordered : ordered.filter((rid) => declared.includes(rid));
}

/**
 * RIDs carry no resolution, so the layer order comes from their names where those are usual ones
 * (q/h/f for quarter/half/full, l/m/h, low/mid/high, numbers), and from the offer's order
 * otherwise (mediasoup-client, for one, lists its encodings lowest first).
 */
function lowestFirst(rids: string[]): string[] {
  const scales = [['q', 'h', 'f'], ['l', 'm', 'h'], ['low', 'mid', 'high'], ['lo', 'mid', 'hi']];
  const lower = rids.map((r) => r.toLowerCase());
  const scale = scales.find((s) => lower.every((r) => s.includes(r)));
  if (scale) return [...rids].sort((a, b) => scale.indexOf(a.toLowerCase()) - scale.indexOf(b.toLowerCase()));
  if (rids.every((r) => /^\d+$/.test(r))) return [...rids].sort((a, b) => Number(a) - Number(b));
  return rids;
}
