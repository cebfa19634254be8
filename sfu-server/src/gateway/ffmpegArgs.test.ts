import { describe, expect, it } from 'vitest';
import { DEFAULT_ENCODE, ingestArgs } from './ffmpegArgs.ts';

describe('ingestArgs', () => {
  const args = ingestArgs(
    { kind: 'rtmp', port: 19350, key: 'k3y' },
    { payloadType: 101, ssrcs: [1111, 2222], port: 40_001 },
    { payloadType: 100, ssrcs: [3333], port: 40_002 },
  );
  const outputs = args.flatMap((a, i) => (a === '-ssrc' ? [{ ssrc: args[i + 1], url: args[i + 4] }] : []));

  it('encodes each simulcast layer with its own SSRC, lowest first, all through the video funnel', () => {
    expect(DEFAULT_ENCODE.layers.map((l) => `${l.width}x${l.height}`)).toEqual(['320x180', '640x360']);
    expect(outputs).toEqual([
      { ssrc: '1111', url: 'rtp://127.0.0.1:40001?rtcpport=40001&pkt_size=1200' },
      { ssrc: '2222', url: 'rtp://127.0.0.1:40001?rtcpport=40001&pkt_size=1200' },
      { ssrc: '3333', url: 'rtp://127.0.0.1:40002?rtcpport=40002&pkt_size=1200' },
    ]);
    expect(args.filter((a) => a === 'libvpx')).toHaveLength(2);
    expect(args[args.indexOf('-b:v') + 1]).toBe('150k');
  });

  it('scales whatever arrives to the top layer\'s fixed size before splitting (a resolution change never reaches the encoders)', () => {
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toMatch(/^\[0:v:0\]scale=640:360:force_original_aspect_ratio=decrease,pad=640:360:-1:-1,fps=25,split=2\[v0in\]\[v1in\];/);
    expect(graph).toContain('[v0in]scale=320:180[v0]');
    expect(graph).toContain('[v1in]null[v1]');
  });

  it('listens for the one stream key on the RTMP port', () => {
    expect(args).toContain('rtmp://127.0.0.1:19350/live/k3y');
  });
});
