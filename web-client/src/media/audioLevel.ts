/**
 * A microphone level from WebAudio: an AnalyserNode reads the waveform and we report its RMS,
 * scaled so normal speech fills most of a meter. The analyser is never connected to the
 * speakers, so the user does not hear themselves.
 */
const INTERVAL_MS = 100;
/** Speech at a normal distance has an RMS around 0.05–0.2. */
const GAIN = 4;

export function watchLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const context = new AudioContext();
  // A context created without a click may start suspended; the click that turned the microphone on usually counts.
  void context.resume().catch(() => {});
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * GAIN));
  }, INTERVAL_MS);
  return () => {
    clearInterval(timer);
    source.disconnect();
    void context.close().catch(() => {});
  };
}
