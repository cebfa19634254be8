/**
 * Glass-to-glass clock, as page scripts for Chromium (plain JavaScript strings, run by
 * playwright as init scripts, so the app's production code has no test hooks for this).
 *
 * - CLOCK_SENDER replaces the camera: getUserMedia({video}) returns a track of a 1280×720
 *   canvas captured with captureStream(0). Every ~33 ms the page draws moving content plus the
 *   time of drawing (Date.now(), ms) as 64 big black/white blocks in the top band — 48 bits of time
 *   and a 16-bit checksum — and pushes the frame at once with requestFrame(). Audio still comes
 *   from the fake microphone.
 * - CLOCK_RECEIVER watches every <video> of the page with requestVideoFrameCallback: each decoded
 *   frame about to be shown is drawn into a canvas, its blocks read back, and if the checksum holds,
 *   Date.now() − encoded time is recorded (same machine clock). Frames without a valid clock
 *   (other videos, damaged frames) are counted, not measured.
 *   window.__clock.samples(): { ms, width, height }[]; .invalid(): { width, height }[]; .reset().
 * - Both also record the page's RTCPeerConnections in window.__pcs so a benchmark can try
 *   receiver/sender settings (jitterBufferTarget, degradationPreference, ...) from outside.
 */

/** Records the page's RTCPeerConnections in window.__pcs, for reading their stats from outside. */
export const RECORD_PEER_CONNECTIONS = String.raw`
(() => {
  if (window.__pcs) return;
  const pcs = (window.__pcs = []);
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) { super(...args); pcs.push(this); }
  };
})();
`;

const COMMON = RECORD_PEER_CONNECTIONS + String.raw`
(() => {
  if (window.__clockLib) return;
  const COLS = 32, ROWS = 2, BAND = 80 / 720; // blocks: 40×40 px at 1280×720
  const checksum = (hi, lo) => (hi ^ (lo >>> 16) ^ (lo & 0xffff) ^ 0x5a5a) & 0xffff;
  const bitsOf = (t) => {
    const hi = Math.floor(t / 4294967296) & 0xffff, lo = t >>> 0, sum = checksum(hi, lo);
    const bits = [];
    for (let i = 15; i >= 0; i--) bits.push((hi >>> i) & 1);
    for (let i = 31; i >= 0; i--) bits.push((lo >>> i) & 1);
    for (let i = 15; i >= 0; i--) bits.push((sum >>> i) & 1);
    return bits;
  };
  const draw = (ctx, w, h, t) => {
    const bits = bitsOf(t), bw = w / COLS, bh = h * BAND / ROWS;
    for (let i = 0; i < bits.length; i++) {
      ctx.fillStyle = bits[i] ? '#fff' : '#000';
      ctx.fillRect((i % COLS) * bw, Math.floor(i / COLS) * bh, bw, bh);
    }
  };
  // Reads the blocks from RGBA pixels of the top band (width w, band height bandH); null if damaged.
  const read = (data, w, bandH) => {
    const bw = w / COLS, bh = bandH / ROWS, bits = [];
    for (let i = 0; i < COLS * ROWS; i++) {
      const x0 = Math.floor((i % COLS) * bw + bw / 4), x1 = Math.floor((i % COLS) * bw + 3 * bw / 4);
      const y0 = Math.floor(Math.floor(i / COLS) * bh + bh / 4), y1 = Math.floor(Math.floor(i / COLS) * bh + 3 * bh / 4);
      let sum = 0, n = 0;
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
        const p = (y * w + x) * 4;
        sum += data[p] + data[p + 1] + data[p + 2];
        n++;
      }
      bits.push(n && sum / n / 3 > 128 ? 1 : 0);
    }
    let hi = 0, lo = 0, sum = 0;
    for (let i = 0; i < 16; i++) hi = hi * 2 + bits[i];
    for (let i = 16; i < 48; i++) lo = lo * 2 + bits[i];
    for (let i = 48; i < 64; i++) sum = sum * 2 + bits[i];
    if (checksum(hi, lo >>> 0) !== sum) return null;
    return hi * 4294967296 + lo;
  };
  window.__clockLib = { draw, read, BAND };
})();
`;

export const CLOCK_SENDER = COMMON + String.raw`
(() => {
  const W = 1280, H = 720, canvas = document.createElement('canvas');
  canvas.width = W; canvas.height = H;
  const ctx = canvas.getContext('2d');
  const tracks = new Set();
  let n = 0;
  const frame = () => {
    n++;
    // Moving content so the encoder works as on a camera, not on a still picture.
    ctx.fillStyle = 'hsl(' + ((n * 3) % 360) + ',40%,45%)';
    ctx.fillRect(0, 0, W, H);
    for (let i = 0; i < 12; i++) {
      ctx.fillStyle = 'hsl(' + ((i * 30 + n) % 360) + ',70%,60%)';
      const x = (i * 97 + n * (4 + i)) % (W - 120), y = 100 + ((i * 53 + n * (2 + (i % 3))) % (H - 220));
      ctx.fillRect(x, y, 120, 100);
    }
    ctx.fillStyle = '#fff'; ctx.font = '48px sans-serif'; ctx.fillText('frame ' + n, 40, H - 40);
    window.__clockLib.draw(ctx, W, H, Date.now());
    for (const t of tracks) {
      if (t.readyState === 'live') t.requestFrame(); else tracks.delete(t);
    }
  };
  setInterval(frame, 1000 / 30);
  const md = navigator.mediaDevices, real = md.getUserMedia.bind(md);
  md.getUserMedia = async (constraints) => {
    const audio = constraints && constraints.audio ? await real({ audio: constraints.audio }) : null;
    const stream = new MediaStream(audio ? audio.getAudioTracks() : []);
    if (constraints && constraints.video) {
      const [track] = canvas.captureStream(0).getVideoTracks();
      tracks.add(track);
      stream.addTrack(track);
    }
    return stream;
  };
})();
`;

export const CLOCK_RECEIVER = COMMON + String.raw`
(() => {
  const samples = [];
  const invalid = [];
  const hooked = new WeakSet();
  const hook = (video) => {
    hooked.add(video);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const onFrame = () => {
      const now = Date.now();
      const w = video.videoWidth, h = video.videoHeight;
      if (w >= 160 && h >= 90) {
        const bandH = Math.max(8, Math.round(h * window.__clockLib.BAND));
        if (canvas.width !== w || canvas.height !== bandH) { canvas.width = w; canvas.height = bandH; }
        ctx.drawImage(video, 0, 0, w, bandH, 0, 0, w, bandH);
        const t = window.__clockLib.read(ctx.getImageData(0, 0, w, bandH).data, w, bandH);
        if (t !== null && Math.abs(now - t) < 60000) samples.push({ ms: now - t, width: w, height: h });
        else invalid.push({ width: w, height: h });
      }
      if (video.isConnected) video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
  };
  setInterval(() => {
    for (const v of document.querySelectorAll('video')) if (!hooked.has(v)) hook(v);
  }, 250);
  window.__clock = {
    samples: () => samples.slice(),
    invalid: () => invalid.slice(),
    reset: () => { samples.length = 0; invalid.length = 0; },
  };
})();
`;

/** The lecturer's page: sends the clock, and reads its own self-view (the capture's own share). */
export const CLOCK_SENDER_WITH_SELF_VIEW = CLOCK_SENDER + CLOCK_RECEIVER;
