import type { CascadingMediaNode, MediaNode } from '@tongtang/shared';

/** Whether a media node can carry producers to and from other nodes. */
export function isCascading(media: MediaNode): media is CascadingMediaNode {
  const m = media as Partial<CascadingMediaNode>;
  return typeof m.openPipe === 'function' && typeof m.importProducer === 'function' && typeof m.hasProducer === 'function';
}
