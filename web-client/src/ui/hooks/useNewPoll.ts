import { useEffect, useState } from 'react';
import { openPoll } from '../../session/selectors.ts';
import { useActivity } from '../SessionContext.tsx';

/**
 * An open poll this person has not looked at yet (its tab or panel out of sight). A poll already
 * open on join counts as new too: nobody has seen it here.
 */
export function useNewPoll(visible: boolean): boolean {
  const openId = useActivity((a) => openPoll(a.polls)?.id ?? null);
  const [seen, setSeen] = useState<string | null>(null);
  useEffect(() => {
    if (visible && openId !== null) setSeen(openId);
  }, [visible, openId]);
  return !visible && openId !== null && openId !== seen;
}
