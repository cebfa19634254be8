/**
 * Which simulcast layer a rendered video needs. The lecturer's camera is sent at 1/4, 1/2 and
 * full size (profiles.ts); a thumbnail fed the full layer wastes the receiver's downlink and the
 * SFU's uplink, so the receiver asks for the layer that matches the element's width.
 */
export function layerForWidth(cssWidth: number): 0 | 1 | 2 {
  if (cssWidth < 400) return 0;
  if (cssWidth < 800) return 1;
  return 2;
}
