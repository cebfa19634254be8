import type { HandlerTable } from '../rpc/dispatcher.ts';
import { interactionHandlers } from './interaction.ts';
import { lectureHandlers } from './lecture.ts';
import { mediaHandlers } from './media.ts';
import { recordingHandlers } from './recording.ts';
import { sourceHandlers } from './sources.ts';

export const handlers: HandlerTable = { ...lectureHandlers, ...mediaHandlers, ...interactionHandlers, ...recordingHandlers, ...sourceHandlers };
