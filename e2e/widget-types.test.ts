/**
 * The widget's public types, checked by `tsc -p tsconfig.test.json` (part of `npm test`): the
 * viewer's events are typed for `addEventListener` on any element, and the tag names map to the
 * element classes. The assertions are type-level; at run time they only check the shapes exist.
 */
import { describe, expectTypeOf, it } from 'vitest'
import type { LiveStreamList, LiveStreamViewer, Messages, ViewerErrorCode, ViewerState } from '@hms-admin/widget'

describe('widget types', () => {
  it('types live-stream-error and live-stream-state for addEventListener', () => {
    const listen = (element: HTMLElement) => {
      element.addEventListener('live-stream-error', (event) => {
        expectTypeOf(event.detail.code).toEqualTypeOf<ViewerErrorCode>()
        expectTypeOf(event.detail.retryable).toEqualTypeOf<boolean>()
      })
      element.addEventListener('live-stream-state', (event) => {
        expectTypeOf(event.detail.state).toEqualTypeOf<ViewerState>()
        expectTypeOf(event.detail.previousState).toEqualTypeOf<ViewerState>()
      })
    }
    expectTypeOf(listen).parameter(0).toEqualTypeOf<HTMLElement>()
  })

  it('maps the tag names to the element classes, with a typed messages property', () => {
    expectTypeOf<HTMLElementTagNameMap['live-stream-viewer']>().toEqualTypeOf<LiveStreamViewer>()
    expectTypeOf<HTMLElementTagNameMap['live-stream-list']>().toEqualTypeOf<LiveStreamList>()
    expectTypeOf<LiveStreamViewer['messages']>().toEqualTypeOf<Partial<Messages> | null>()
    expectTypeOf<LiveStreamViewer['state']>().toEqualTypeOf<ViewerState>()
  })
})
