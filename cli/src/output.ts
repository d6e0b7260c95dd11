import chalk, { Chalk, type ChalkInstance } from 'chalk'

/** A writable text sink (process.stdout, or a buffer in tests). */
export interface Sink {
  write(text: string): unknown
  isTTY?: boolean
}

/** Colour helpers; plain when NO_COLOR is set or the sink is not a TTY. */
export function colours(sink: Sink, env: Record<string, string | undefined>): ChalkInstance {
  const on = sink.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb'
  return on ? new Chalk({ level: chalk.level || 1 }) : new Chalk({ level: 0 })
}

/** Writes a line to a sink. */
export function line(sink: Sink, text = ''): void {
  sink.write(`${text}\n`)
}

/** Writes stable-keyed JSON to a sink. */
export function json(sink: Sink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`)
}

/** Rows of cells: aligned columns under a header on a terminal (like `gh`), tab-separated rows without a header otherwise, so scripts can `cut -f`. */
export interface Table {
  row(cells: readonly string[]): void
  end(): void
  readonly count: number
}

/** Starts a table on sink; off a terminal each row is written at once (streams), on one they are aligned at end(). */
export function table(sink: Sink, header: readonly string[], paint: (text: string) => string = (t) => t): Table {
  let count = 0
  if (sink.isTTY !== true)
    return {
      row: (cells) => {
        count++
        line(sink, cells.join('\t'))
      },
      end: () => undefined,
      get count() {
        return count
      },
    }
  const rows: (readonly string[])[] = []
  return {
    get count() {
      return rows.length
    },
    row: (cells) => {
      rows.push(cells)
    },
    end: () => {
      if (rows.length === 0) return
      const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
      const format = (cells: readonly string[]) =>
        cells
          .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - displayWidth(c))))
          .join('  ')
          .trimEnd()
      line(sink, paint(format(header)))
      for (const r of rows) line(sink, format(r))
    },
  }
}

/** Terminal columns a string takes: emoji and East Asian wide characters take two, variation selectors and joiners none. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (cp === 0xfe0f || cp === 0x200d || (cp >= 0x300 && cp < 0x370)) continue
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2600 && cp <= 0x27bf) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      cp >= 0x1f000
    width += wide ? 2 : 1
  }
  return width
}
