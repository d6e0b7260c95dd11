/** The prompt seam: commands ask through this; tests script the answers. */
export interface Prompts {
  select<T extends string>(options: {
    message: string
    choices: { name: string; value: T; description?: string }[]
  }): Promise<T>
  password(options: { message: string }): Promise<string>
  confirm(options: { message: string; default?: boolean }): Promise<boolean>
}

/** The real prompts (@inquirer/prompts, loaded lazily). */
export function inquirerPrompts(): Prompts {
  const load = () => import('@inquirer/prompts')
  return {
    async select(options) {
      const { search } = await load()
      return search({
        message: options.message,
        source: (term) => {
          const t = (term ?? '').toLowerCase()
          return options.choices.filter((c) => c.name.toLowerCase().includes(t))
        },
      })
    },
    async password(options) {
      const { password } = await load()
      return password({ message: options.message, mask: '*' })
    },
    async confirm(options) {
      const { confirm } = await load()
      return confirm({ message: options.message, default: options.default ?? false })
    },
  }
}

/** Scripted answers for tests, consumed in order. */
export function scriptedPrompts(answers: (string | boolean)[]): Prompts & { asked: string[] } {
  const asked: string[] = []
  const next = (message: string) => {
    asked.push(message)
    if (answers.length === 0) throw Object.assign(new Error('no scripted answer'), { name: 'ExitPromptError' })
    return answers.shift()!
  }
  return {
    asked,
    async select(o) {
      return next(o.message) as never
    },
    async password(o) {
      return String(next(o.message))
    },
    async confirm(o) {
      return Boolean(next(o.message))
    },
  }
}
