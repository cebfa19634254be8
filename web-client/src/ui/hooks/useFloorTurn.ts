import { useEffect, useRef, useState } from 'react';

/** Why my turn on the floor ended, as the speaker is told. */
export type TurnEnd = 'lecturer' | 'self' | 'lectureEnded';

/**
 * Watches my own floor status and says why a turn ended: the lecture ended (the server ends the
 * lecture before it takes the floor back), I stepped down (I asked for it just before), or else
 * the lecturer took it back.
 */
export function useFloorTurn(speaking: boolean, lectureEnded: boolean) {
  const [ended, setEnded] = useState<TurnEnd | null>(null);
  const was = useRef(speaking);
  const steppingDown = useRef(false);

  useEffect(() => {
    if (was.current && !speaking) setEnded(lectureEnded ? 'lectureEnded' : steppingDown.current ? 'self' : 'lecturer');
    if (speaking && !was.current) {
      setEnded(null);
      steppingDown.current = false;
    }
    was.current = speaking;
  }, [speaking, lectureEnded]);

  return {
    ended,
    dismiss: () => setEnded(null),
    /** Call before asking the server to end my own turn. */
    markSteppingDown: () => { steppingDown.current = true; },
  };
}
