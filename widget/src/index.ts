/**
 * Entry of `/widget/live-stream-viewer.js`: defines `<live-stream-viewer>` and `<live-stream-list>`
 * and exports their classes, the SDK adapter types, the event types and the message catalogue.
 */
export { LiveStreamViewer } from './live-stream-viewer.js'
export { LiveStreamList } from './live-stream-list.js'
export { EN_MESSAGES } from './messages-en.js'
export type { Messages, MessageKey } from './messages-en.js'
export type { LiveStreamEventMap } from './events.js'
export type { SdkAdapter, SdkAdapterFactory, SdkEvent, SdkError, SdkSnapshot, SdkRoomState } from './sdk-adapter.js'
export type { ViewerState, ViewerErrorCode, LiveStreamStateDetail, LiveStreamErrorDetail } from './viewer-state.js'
