import chalk, { Chalk, type ChalkInstance } from 'chalk'

/** A writable text sink (process.stdout, or a buffer in tests). */
export interface Sink { write(text: string): unknown; isTTY?: boolean }

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
