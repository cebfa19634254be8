/** Composition of a finished recording into its replay (MP4, HLS, chapters, thumbnail). */
export { ComposeQueue } from './ComposeQueue.ts';
export { composeRecording, readStatus, statusPath, REPLAY_DIR, type ComposeOptions } from './compose.ts';
export { planReplay, type Plan } from './plan.ts';
export { readInputs } from './inputs.ts';
