import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { openApiDocument } from '../server/src/openapi-document.js'

// Every answer the endpoint gives in a test goes through checkedFetch, which checks it against the
// OpenAPI document the endpoint serves (GET /openapi.json): the path and method are documented, the
// status is documented for them, required headers are there and valid, and the body matches the
// schema of its content type. Any other path may only answer the document's NotFound or BadRequest.

type Json = Record<string, unknown>
interface ResponseObject {
  content?: Record<string, { schema?: Json }>
  headers?: Record<string, Json>
}

const DOC_ID = 'https://hms-admin.invalid/openapi.json'
const doc = openApiDocument() as { paths: Record<string, Json>; components: Json }
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema({ ...doc, $id: DOC_ID })
const compiled = new Map<string, ValidateFunction>()

function pointerPart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1')
}

function validatorAt(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer)
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${DOC_ID}#${pointer}` })
    compiled.set(pointer, validate)
  }
  return validate
}

function resolve<T>(value: T | { $ref: string }): T {
  const ref = (value as { $ref?: string }).$ref
  if (ref === undefined) return value as T
  let node: unknown = doc
  for (const part of ref.slice(2).split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
  return node as T
}

const TEMPLATES = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
}))

/** The JSON pointer of the response object documented for this answer, or an explanation why there is none. */
function documentedResponse(method: string, pathname: string, status: number): string {
  const found = TEMPLATES.find(({ pattern }) => pattern.test(pathname))
  const fallback = (name: string) => `/components/responses/${name}`
  if (found === undefined) {
    if (status === 404) return fallback('NotFound')
    if (status === 400) return fallback('BadRequest')
    throw new Error(`${pathname} is not documented, yet it answered ${status} (only 400 or 404 may answer there)`)
  }
  const operation = method === 'head' ? 'get' : method
  const item = doc.paths[found.template] as Json
  if (item[operation] === undefined) {
    if (status === 405) return fallback('MethodNotAllowed')
    throw new Error(`${method.toUpperCase()} ${found.template} is not documented, yet it answered ${status}`)
  }
  const responses = (item[operation] as { responses: Json }).responses
  if (responses[String(status)] === undefined)
    throw new Error(`${method.toUpperCase()} ${found.template} answered ${status}, which is not documented`)
  return `/paths/${pointerPart(found.template)}/${operation}/responses/${status}`
}

function checkHeaders(where: string, response: ResponseObject, headers: Headers): string[] {
  const problems: string[] = []
  for (const [name, headerOrRef] of Object.entries(response.headers ?? {})) {
    const definition = resolve<{ required?: boolean; schema?: Json }>(headerOrRef)
    const value = headers.get(name)
    if (value === null) {
      if (definition.required) problems.push(`${where}: the required header ${name} is missing`)
      continue
    }
    const typed = definition.schema?.type === 'integer' && /^\d+$/.test(value) ? Number(value) : value
    if (definition.schema && !ajv.validate(definition.schema, typed))
      problems.push(`${where}: header ${name}: ${JSON.stringify(value)} ${ajv.errorsText(ajv.errors)}`)
  }
  return problems
}

function checkBody(where: string, pointer: string, response: ResponseObject, answer: Response, body: string): string[] {
  if (answer.status === 204 || answer.status === 304) return body === '' ? [] : [`${where}: a body on ${answer.status}`]
  const type = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? ''
  const content = response.content ?? {}
  if (!(type in content)) return [`${where}: content type ${JSON.stringify(type)} is not among ${Object.keys(content)}`]
  if (type !== 'application/json' || body === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return [`${where}: the body is not JSON`]
  }
  const validate = validatorAt(`${pointer}/content/${pointerPart(type)}/schema`)
  return validate(parsed) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`]
}

/** Checks one answer against the OpenAPI document; throws an error listing every mismatch. */
export function checkAnswer(method: string, url: string, answer: Response, body: string): void {
  const { pathname } = new URL(url)
  const where = `${method.toUpperCase()} ${pathname} -> ${answer.status}`
  const pointer = documentedResponse(method.toLowerCase(), pathname, answer.status)
  const response = resolve<ResponseObject>(resolve({ $ref: `#${pointer}` }))
  const problems = [
    ...checkHeaders(where, response, answer.headers),
    ...(method.toUpperCase() === 'HEAD' ? [] : checkBody(where, pointer, response, answer, body)),
  ]
  if (problems.length > 0) throw new Error(`The answer does not match /openapi.json:\n${problems.join('\n')}`)
}

/** `fetch`, with every answer checked against the endpoint's OpenAPI document (see checkAnswer). */
export async function checkedFetch(input: string | URL, init?: RequestInit): Promise<Response> {
  const answer = await fetch(input, init)
  checkAnswer(init?.method ?? 'GET', String(input), answer, await answer.clone().text())
  return answer
}
