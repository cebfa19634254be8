/**
 * Quality ceilings: how much of a simulcast video each site receives. The operator sets one per
 * role; the lecturer or IT (`can(role, 'site:setTier')`; the server checks that the classroom
 * exists) overrides it for one partner classroom, or goes back to its role's with 'auto'.
 */
import { can, ONLINE_SITE, TIER_TOP_LAYER, type SiteTiers, type Tier } from '@tongtang/shared';
import type { Role } from '@tongtang/shared';
import { fail, type Applied, type ClassState, type CommandOf } from './state.ts';

export function setTier(state: ClassState, cmd: CommandOf<'site.setTier'>): Applied {
  const { actor, classroomId, tier } = cmd;
  if (!can(actor.role, 'site:setTier')) fail('FORBIDDEN', `a ${actor.role} cannot set a classroom's quality ceiling`);
  if (classroomId === ONLINE_SITE) fail('BAD_REQUEST', `"${ONLINE_SITE}" is not a classroom: students take their role's ceiling`);
  const tiers = { ...(state.tiers ?? {}) };
  if (tier === 'auto') delete tiers[classroomId];
  else tiers[classroomId] = tier;
  return { state: { ...state, tiers }, effects: [{ type: 'tierChanged', classroomId }] };
}

export function siteTiers(state: ClassState, defaults: Record<Role, Tier>): SiteTiers {
  return { defaults, classrooms: { ...(state.tiers ?? {}) } };
}

/** The top spatial layer a participant receives: its classroom's override, else its role's. */
export function topLayerFor(state: ClassState, defaults: Record<Role, Tier>, who: { role: Role; classroomId: string | null }): number {
  const override = who.classroomId ? state.tiers?.[who.classroomId] : undefined;
  return TIER_TOP_LAYER[override ?? defaults[who.role]];
}
