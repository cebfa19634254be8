import { useEffect, useState } from 'react';
import { useActivity } from '../SessionContext.tsx';

/** Chat messages that arrived while the chat was out of sight (another tab, a hidden panel). */
export function useUnreadChat(visible: boolean): number {
  const count = useActivity((a) => a.chat.length);
  const [seen, setSeen] = useState(count);
  useEffect(() => {
    if (visible) setSeen(count);
  }, [visible, count]);
  return visible ? 0 : Math.max(0, count - seen);
}
