import { describe, expect, it } from 'vitest';
import type { Participant, Role } from '@tongtang/shared';
import { canReceive, mayPublish } from './visibility.ts';

const p = (id: string, role: Role): Participant => ({ id, role, displayName: id, classroomId: role === 'classroom' ? 'c1' : null });
const lecturer = p('L', 'lecturer');
const room = p('R', 'classroom');
const student = p('S', 'student');
const other = p('S2', 'student');
const observer = p('O', 'observer');
const off = { live: true, speakers: new Set<string>() };

describe('canReceive', () => {
  it('sends the lecture program to everyone but the lecturer, only while live', () => {
    for (const v of [room, student, observer]) expect(canReceive(v, { participant: lecturer, source: 'camera' }, off)).toBe(true);
    expect(canReceive(lecturer, { participant: lecturer, source: 'camera' }, off)).toBe(false);
    expect(canReceive(student, { participant: lecturer, source: 'camera' }, { ...off, live: false })).toBe(false);
  });

  it('keeps a classroom camera on the lecturer wall until it has the floor', () => {
    expect(canReceive(lecturer, { participant: room, source: 'camera' }, off)).toBe(true);
    expect(canReceive(student, { participant: room, source: 'camera' }, off)).toBe(false);
    expect(canReceive(student, { participant: room, source: 'camera' }, { ...off, speakers: new Set(['R']) })).toBe(true);
  });

  it('relays a speaker to everyone except itself', () => {
    const ctx = { ...off, speakers: new Set(['S']) };
    expect(canReceive(other, { participant: student, source: 'microphone' }, ctx)).toBe(true);
    expect(canReceive(lecturer, { participant: student, source: 'camera' }, ctx)).toBe(true);
    expect(canReceive(student, { participant: student, source: 'camera' }, ctx)).toBe(false);
    expect(canReceive(other, { participant: student, source: 'microphone' }, off)).toBe(false);
  });

  it('never lets a classroom microphone reach another site without the floor', () => {
    expect(canReceive(lecturer, { participant: room, source: 'microphone' }, off)).toBe(false);
    expect(canReceive(other, { participant: room, source: 'microphone' }, off)).toBe(false);
  });
});

describe('mayPublish', () => {
  it('lets only the lecturer publish the program and share a screen', () => {
    expect(mayPublish(lecturer, 'screen', false).ok).toBe(true);
    expect(mayPublish(student, 'screen', true).ok).toBe(false);
    expect(mayPublish(room, 'screen', true).ok).toBe(false);
  });

  it('lets a classroom publish its room camera always, its microphone only on the floor', () => {
    expect(mayPublish(room, 'camera', false).ok).toBe(true);
    expect(mayPublish(room, 'microphone', false).ok).toBe(false);
    expect(mayPublish(room, 'microphone', true).ok).toBe(true);
  });

  it('lets a student publish only while holding the floor', () => {
    expect(mayPublish(student, 'microphone', false).ok).toBe(false);
    expect(mayPublish(student, 'camera', false).ok).toBe(false);
    expect(mayPublish(student, 'camera', true).ok).toBe(true);
    expect(mayPublish(student, 'camera', true, true)).toEqual({ ok: false, reason: 'the lecturer stopped your camera' });
    expect(mayPublish(student, 'microphone', true, true).ok).toBe(true);
    expect(mayPublish(room, 'camera', true, true).ok).toBe(false);
  });

  it('never lets assistants or observers publish', () => {
    expect(mayPublish(p('A', 'assistant'), 'camera', true).ok).toBe(false);
    expect(mayPublish(observer, 'microphone', true).ok).toBe(false);
  });
});
