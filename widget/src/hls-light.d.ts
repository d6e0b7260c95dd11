/** hls.js's light build has the same API as the full build; its package ships no typings for it. */
declare module 'hls.js/light' {
  export { default } from 'hls.js'
  export * from 'hls.js'
}
