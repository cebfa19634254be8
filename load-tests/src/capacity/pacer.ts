/**
 * A send-side pacer, as libwebrtc puts in front of every video sender: packets leave at a fixed
 * rate (a multiple of the media bitrate) with at most a few ms of burst, instead of a whole frame
 * at once. Without it a 720p key frame (~50 packets) lands in the worker's ingress socket in one
 * burst while the worker is still fanning out the previous packets, and the socket's default
 * receive buffer overflows long before the worker is busy — loss no browser would cause.
 */
export class Pacer {
  readonly #queue: Buffer[] = [];
  /** Bytes we may still send now; negative after a packet larger than what was left. */
  #budget = 0;
  #lastMs = -1;

  constructor(
    private readonly bytesPerMs: number,
    private readonly send: (packet: Buffer) => void,
    /** Credit an idle pacer may save up (libwebrtc allows a few ms). */
    private readonly maxBurstMs = 5,
  ) {}

  enqueue(packet: Buffer): void {
    this.#queue.push(packet);
  }

  /** Sends, in order, what the rate allows by `nowMs`. */
  drain(nowMs: number): void {
    const cap = this.maxBurstMs * this.bytesPerMs;
    this.#budget = this.#lastMs < 0 ? cap : Math.min(cap, this.#budget + (nowMs - this.#lastMs) * this.bytesPerMs);
    this.#lastMs = nowMs;
    while (this.#queue.length > 0 && this.#budget > 0) {
      const packet = this.#queue.shift()!;
      this.#budget -= packet.length;
      this.send(packet);
    }
  }

  get queued(): number {
    return this.#queue.length;
  }
}
