import { describe, expect, it } from 'vitest';
import { configFromEnv, rolesFrom } from './config.ts';

describe('IMMEDIATE_PLAYOUT_ROLES', () => {
  it('is none by default and reads a comma-separated list of roles', () => {
    expect([...configFromEnv({ JWT_SECRET: 'x' }, []).immediatePlayoutRoles]).toEqual([]);
    expect([...rolesFrom('IMMEDIATE_PLAYOUT_ROLES', ' classroom , lecturer ')]).toEqual(['classroom', 'lecturer']);
  });

  it('refuses what is not a role, naming the setting', () => {
    expect(() => rolesFrom('IMMEDIATE_PLAYOUT_ROLES', 'classroom,projector')).toThrow(/IMMEDIATE_PLAYOUT_ROLES: "projector" is not a role/);
  });
});
