// hls.js ships its light build (no subtitles, alternate audio or DRM: a replay needs none) without types of its own.
declare module 'hls.js/light' {
  export { default } from 'hls.js';
}
