/**
 * Entry of `/widget/live-stream-viewer.js`: defines `<live-stream-viewer>` and `<live-stream-list>`
 * and exports their classes and the SDK adapter types.
 */
export { LiveStreamViewer } from './live-stream-viewer.js'
export { LiveStreamList } from './live-stream-list.js'
export type { SdkAdapter, SdkAdapterFactory, SdkEvent, SdkError, SdkSnapshot, SdkRoomState } from './sdk-adapter.js'
export type { ViewerState, ViewerErrorCode, LiveStreamStateDetail, LiveStreamErrorDetail } from './viewer-state.js'
