/**
 * The part of sdp-transform 3.0 (no bundled types, and @types/sdp-transform is not installed)
 * that the WHIP translation reads and writes. The parser turns every all-digit value into a number
 * (mids, rids, SSRCs, fmtp values), hence the `number | string` fields.
 */
declare module 'sdp-transform' {
  export interface SdpFingerprint { type: string; hash: string }

  export interface SdpCandidate {
    foundation: string | number;
    component: number;
    transport: string;
    priority: number;
    ip: string;
    port: number;
    type: string;
    tcptype?: string;
  }

  export interface SdpMedia {
    type: string;
    port: number;
    protocol: string;
    payloads?: string | number;
    connection?: { version: number; ip: string };
    mid?: string | number;
    direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
    iceUfrag?: string | number;
    icePwd?: string | number;
    iceOptions?: string;
    fingerprint?: SdpFingerprint;
    setup?: string;
    rtp: { payload: number; codec: string; rate?: number; encoding?: number | string }[];
    fmtp: { payload: number; config: string | number }[];
    rtcpFb?: { payload: number | string; type: string; subtype?: string }[];
    ext?: { value: number; direction?: string; uri: string; config?: string }[];
    extmapAllowMixed?: string;
    ssrcs?: { id: number; attribute: string; value?: string | number }[];
    ssrcGroups?: { semantics: string; ssrcs: string | number }[];
    rids?: { id: string | number; direction: string; params?: string }[];
    simulcast?: { dir1: string; list1: string | number; dir2?: string; list2?: string | number };
    rtcpMux?: string;
    rtcpRsize?: string;
    candidates?: SdpCandidate[];
    endOfCandidates?: string;
  }

  export interface SdpSession {
    version?: number;
    origin?: { username: string; sessionId: string | number; sessionVersion: number; netType: string; ipVer: number; address: string };
    name?: string;
    timing?: { start: number; stop: number };
    icelite?: string;
    iceUfrag?: string | number;
    icePwd?: string | number;
    fingerprint?: SdpFingerprint;
    setup?: string;
    groups?: { type: string; mids: string | number }[];
    msidSemantic?: { semantic: string; token: string };
    extmapAllowMixed?: string;
    media: SdpMedia[];
  }

  export function parse(sdp: string): SdpSession;
  export function write(session: SdpSession): string;
  export function parseParams(params: string): Record<string, string | number | undefined>;
}
