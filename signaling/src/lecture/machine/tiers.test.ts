import { describe, expect, it } from 'vitest';
import { AppError } from '@tongtang/shared';
import { DEFAULT_TIERS, tierDefaultsFrom } from '../../config.ts';
import { applyToClass, initialClassState, type Actor } from './machine.ts';
import { siteTiers, topLayerFor } from './tiers.ts';

const lecturer: Actor = { participantId: 'prof', role: 'lecturer', displayName: 'Prof', classroomId: null };

describe('quality ceilings', () => {
  it('overrides one classroom, goes back to the role\'s with auto, and leaves the input state alone', () => {
    const s0 = initialClassState(2);
    const low = applyToClass(s0, { type: 'site.setTier', actor: lecturer, classroomId: 'kashgar-1', tier: 'low' });
    expect(low.effects).toEqual([{ type: 'tierChanged', classroomId: 'kashgar-1' }]);
    expect(s0.tiers).toEqual({});
    expect(siteTiers(low.state, DEFAULT_TIERS)).toEqual({ defaults: DEFAULT_TIERS, classrooms: { 'kashgar-1': 'low' } });
    const room = { role: 'classroom' as const, classroomId: 'kashgar-1' };
    expect(topLayerFor(s0, DEFAULT_TIERS, room)).toBe(2);
    expect(topLayerFor(low.state, DEFAULT_TIERS, room)).toBe(0);
    // The assistant's phone at that site follows the site's ceiling too; another classroom does not.
    expect(topLayerFor(low.state, DEFAULT_TIERS, { role: 'assistant', classroomId: 'kashgar-1' })).toBe(0);
    expect(topLayerFor(low.state, DEFAULT_TIERS, { role: 'classroom', classroomId: 'shanghai-2' })).toBe(2);
    expect(topLayerFor(low.state, DEFAULT_TIERS, { role: 'student', classroomId: null })).toBe(1);
    const auto = applyToClass(low.state, { type: 'site.setTier', actor: lecturer, classroomId: 'kashgar-1', tier: 'auto' });
    expect(auto.state.tiers).toEqual({});
  });

  it('is set by the lecturer and IT only (can site:setTier)', () => {
    const s0 = initialClassState(2);
    const as = (role: Actor['role']): Actor => ({ participantId: role, role, displayName: role, classroomId: 'kashgar-1' });
    expect(applyToClass(s0, { type: 'site.setTier', actor: as('observer'), classroomId: 'kashgar-1', tier: 'low' }).state.tiers).toEqual({ 'kashgar-1': 'low' });
    for (const role of ['classroom', 'assistant', 'student'] as const) {
      expect(() => applyToClass(s0, { type: 'site.setTier', actor: as(role), classroomId: 'kashgar-1', tier: 'low' }), role).toThrow(/quality ceiling/);
    }
  });

  it('refuses the online site and an ended lecture, and reads a state stored before tiers', () => {
    const s0 = initialClassState(2);
    expect(() => applyToClass(s0, { type: 'site.setTier', actor: lecturer, classroomId: 'online', tier: 'low' })).toThrow(AppError);
    expect(() => applyToClass(s0, { type: 'site.setTier', actor: lecturer, classroomId: 'k', tier: 'low' }, 'ended')).toThrow(/ended/);
    const { tiers: _gone, ...old } = s0;
    expect(topLayerFor(old, DEFAULT_TIERS, { role: 'classroom', classroomId: 'k' })).toBe(2);
    expect(applyToClass(old, { type: 'site.setTier', actor: lecturer, classroomId: 'k', tier: 'medium' }).state.tiers).toEqual({ k: 'medium' });
  });

  it('reads the operator\'s per-role ceilings and refuses a typo', () => {
    expect(tierDefaultsFrom('student=low, assistant=high')).toEqual({ ...DEFAULT_TIERS, student: 'low', assistant: 'high' });
    expect(tierDefaultsFrom(undefined)).toEqual(DEFAULT_TIERS);
    expect(() => tierDefaultsFrom('students=low')).toThrow(/TIER_DEFAULTS/);
    expect(() => tierDefaultsFrom('student=ultra')).toThrow(/TIER_DEFAULTS/);
  });
});
