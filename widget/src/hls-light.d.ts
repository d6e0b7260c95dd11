/** hls.js's light build has the same API as the full build; its package ships no typings for it. */
declare module 'hls.js/light' {
  export { default } from 'hls.js'
  // biome-ignore lint/performance/noReExportAll: mirrors hls.js's own entry for its light build
  export * from 'hls.js'
}
