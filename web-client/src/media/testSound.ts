/** A short two-tone chime on the chosen output, so a classroom can check its speakers before class. */
export async function playTestSound(speakerId: string | null): Promise<void> {
  const context = new AudioContext();
  const destination = context.createMediaStreamDestination();
  const audio = new Audio();
  audio.srcObject = destination.stream;
  // Through an <audio> element because it can pick the output device; AudioContext alone cannot everywhere.
  if (speakerId && 'setSinkId' in audio) await audio.setSinkId(speakerId).catch(() => {});
  const gain = context.createGain();
  gain.connect(destination);
  for (const [i, frequency] of [660, 880].entries()) {
    const tone = context.createOscillator();
    tone.frequency.value = frequency;
    tone.connect(gain);
    tone.start(context.currentTime + i * 0.3);
    tone.stop(context.currentTime + i * 0.3 + 0.25);
  }
  gain.gain.value = 0.3;
  await audio.play().catch(() => {});
  setTimeout(() => {
    audio.srcObject = null;
    void context.close();
  }, 900);
}
