/**
 * The real `SdkAdapter`: `@100mslive/hms-video-store`, loaded with a dynamic `import()` the first
 * time a viewer starts playback, so pages that only list streams never download it.
 */
import type { SdkAdapter, SdkAdapterFactory, SdkEvent, SdkRoomState, SdkSnapshot } from './sdk-adapter.js'

type HmsModule = typeof import('@100mslive/hms-video-store')
type HmsState = Parameters<HmsModule['selectRoomState']>[0]

const ROOM_STATES: Record<string, SdkRoomState> = {
  Connecting: 'connecting',
  Connected: 'connected',
  Reconnecting: 'reconnecting',
  Failed: 'failed',
}

/** Code of the SDK's `AutoplayBlocked` error (a track exception, never terminal). */
const AUTOPLAY_BLOCKED = 3008

function snapshotOf(hms: HmsModule, state: HmsState): SdkSnapshot {
  const role = hms.selectLocalPeerRole(state)
  let videoTrackId: string | null = null
  for (const peer of hms.selectRemotePeers(state)) {
    const ids = [...peer.auxiliaryTracks, peer.videoTrack]
    for (const id of ids) {
      const track = id ? state.tracks[id] : undefined
      if (track && track.type === 'video' && track.enabled) {
        videoTrackId = track.id
        break
      }
    }
    if (videoTrackId) break
  }
  const hls = hms.selectHLSState(state)
  return {
    roomState: ROOM_STATES[hms.selectRoomState(state)] ?? 'disconnected',
    videoTrackId,
    hlsUrl: hls.running ? (hls.variants[0]?.url ?? null) : null,
    receivesWebrtcMedia: role ? role.subscribeParams.subscribeToRoles.length > 0 : null,
  }
}

/** The parts of the SDK's private `HMSSdk` instance the join watchdog touches (duck-typed). */
interface SdkInternals {
  sdkState?: { isJoinInProgress?: boolean }
  observer?: { onStateChange?: (state: string, error?: unknown) => unknown }
}

/**
 * Works around a deadlock in hms-video-store 0.15.2: when the transport fails while `join()` is
 * still running (e.g. `EndpointUnreachable` with no network), the SDK's state handler awaits its
 * own `internalLeave()`, which waits `while (isJoinInProgress)` for the join, while the join waits
 * for that handler. `join()` never settles, the room state stays Connecting, no error is
 * notified, and the wait loop sleeps 100 ms at a time through a new
 * `Worker(URL.createObjectURL(blob))`: ten workers (and leaked blob URLs) a second for as long as
 * the page lives. Clearing `isJoinInProgress` when the transport fails during a join lets the
 * SDK's leave finish; `onJoinFailed` gets the transport's error. `sdkState` is replaced on every
 * cleanup, so it is read at each call. If the internals ever change, the guard is skipped and the
 * viewer's join timeout still bounds the wait.
 */
function guardJoinDeadlock(
  internals: SdkInternals | undefined,
  onJoinFailed: (error: unknown) => void,
): (() => void) | null {
  const observer = internals?.observer
  if (
    !internals ||
    !observer ||
    typeof observer.onStateChange !== 'function' ||
    typeof internals.sdkState?.isJoinInProgress !== 'boolean'
  )
    return null
  const original = observer.onStateChange
  const release = (): boolean => {
    const state = internals.sdkState
    if (!state?.isJoinInProgress) return false
    state.isJoinInProgress = false
    return true
  }
  observer.onStateChange = (transportState: string, error?: unknown) => {
    if (transportState === 'Failed' && release()) onJoinFailed(error)
    return original.call(observer, transportState, error)
  }
  return () => void release()
}

/**
 * Creates the real adapter. The SDK's log level is set to NONE before anything else because the
 * SDK logs the auth token (at error level when a join fails).
 */
export const createHmsSdkAdapter: SdkAdapterFactory = async (): Promise<SdkAdapter> => {
  const hms = await import('@100mslive/hms-video-store')
  const reactive = new hms.HMSReactiveStore()
  const store = reactive.getStore()
  const actions = reactive.getActions()
  const notifications = reactive.getNotifications()
  actions.setLogLevel(hms.HMSLogLevel.NONE)
  let failPendingJoin: ((error: unknown) => void) | null = null
  let leftDuringJoin = false
  const releaseStuckJoin = guardJoinDeadlock((reactive as unknown as { sdk?: SdkInternals }).sdk, (error) =>
    failPendingJoin?.(error),
  )

  return {
    join: ({ userName, authToken }) =>
      new Promise<void>((resolve, reject) => {
        leftDuringJoin = false
        failPendingJoin = reject
        actions
          .join({
            userName,
            authToken,
            settings: { isAudioMuted: true, isVideoMuted: true },
            rememberDeviceSelection: false,
          })
          .then(() => {
            // The viewer gave up (left) while this join was still running: do not stay in the room.
            if (leftDuringJoin) void actions.leave().catch(() => undefined)
            resolve()
          }, reject)
          .finally(() => (failPendingJoin = null))
      }),
    leave: () => {
      if (failPendingJoin) {
        leftDuringJoin = true
        // A leave during a stuck join would otherwise wait for the join forever (see above).
        releaseStuckJoin?.()
      }
      return actions.leave().catch(() => undefined)
    },
    getAuthTokenByRoomCode: ({ roomCode, userId }) =>
      actions.getAuthTokenByRoomCode(userId ? { roomCode, userId } : { roomCode }),
    attachVideo: (trackId, video) => actions.attachVideo(trackId, video),
    detachVideo: (trackId, video) => actions.detachVideo(trackId, video),
    unblockAudio: () => actions.unblockAudio(),
    // Without a track id the SDK sets the volume of its audio output (every remote track).
    setVolume: (volume) => actions.setVolume(volume),
    subscribe(listener: (event: SdkEvent) => void) {
      // A string key makes the store's shallow comparison fire only on real changes.
      const offStore = store.subscribe(
        (key: string) => listener({ type: 'snapshot', snapshot: JSON.parse(key) as SdkSnapshot }),
        (state: HmsState) => JSON.stringify(snapshotOf(hms, state)),
      )
      const offNotifications = notifications.onNotification((notification) => {
        const { type, data } = notification as { type: string; data: unknown }
        if (type === hms.HMSNotificationTypes.ERROR) {
          const error = data as {
            code: number
            name: string
            message: string
            action: string
            description: string
            isTerminal: boolean
          }
          if (error.code === AUTOPLAY_BLOCKED) listener({ type: 'autoplay-blocked' })
          else if (error.isTerminal) {
            listener({
              type: 'error',
              error: {
                code: error.code,
                name: error.name,
                message: error.message,
                action: error.action,
                description: error.description,
                isTerminal: true,
              },
            })
          }
        } else if (
          type === hms.HMSNotificationTypes.ROOM_ENDED ||
          type === hms.HMSNotificationTypes.REMOVED_FROM_ROOM
        ) {
          const reason = (data as { reason?: string } | undefined)?.reason ?? ''
          listener({ type: 'room-ended', reason })
        }
      })
      return () => {
        offStore()
        offNotifications()
      }
    },
  }
}
