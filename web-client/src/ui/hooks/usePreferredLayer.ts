import { useEffect, type RefObject } from 'react';
import { layerForWidth } from '../../media/layers.ts';
import { useOptionalSession } from '../SessionContext.tsx';

/** Size changes settle (window drags, panels opening) before we ask the SFU to switch. */
const SETTLE_MS = 300;

/**
 * Asks for the simulcast layer that fits the rendered video: watches the element's width with
 * a ResizeObserver and sends media:setPreferredLayers only when the layer changes.
 */
export function usePreferredLayer(
  video: RefObject<HTMLVideoElement | null>,
  consumerId: string | undefined,
  track: MediaStreamTrack | null | undefined,
): void {
  const session = useOptionalSession(); // null on the join page's private preview
  useEffect(() => {
    const element = video.current;
    if (!element || !consumerId || !session) return;
    let sent: number | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      if (width === 0) return; // hidden: keep what we have rather than dropping to the lowest
      clearTimeout(timer);
      timer = setTimeout(() => {
        const layer = layerForWidth(width);
        if (layer === sent) return;
        sent = layer;
        element.dataset.layer = String(layer);
        void session.room?.setPreferredLayer(consumerId, layer).catch(() => { sent = null; });
      }, SETTLE_MS);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [video, consumerId, track, session]);
}
