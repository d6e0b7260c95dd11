import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import ts from 'typescript'

/** CSS without comments and with the whitespace it does not need (a descendant space before `:` stays). */
const squeezeCss = (text) =>
  text
    .replace(/\/\*[^*]*\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/ ?([{};,>]) ?/g, '$1')
    .replace(/: /g, ':')
    .trim()

/** HTML without indentation: a newline and the spaces around it become one space, or nothing between tags. */
const squeezeHtml = (text) => text.replace(/>\s*\n\s*</g, '><').replace(/\s*\n\s*/g, ' ')

/**
 * A TypeScript transformer that squeezes the static text of html`` and css`` templates (terser
 * leaves template text alone). Only the literal parts change: `${}` expressions are visited as code.
 */
function squeezeTemplates(context) {
  const { factory } = context
  const visit = (node) => {
    const tag = ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) ? node.tag.text : null
    if (tag !== 'html' && tag !== 'css') return ts.visitEachChild(node, visit, context)
    const squeeze = tag === 'css' ? squeezeCss : squeezeHtml
    const literal = (part, create) => create(squeeze(part.text), squeeze(part.rawText ?? part.text))
    const template = node.template
    const squeezed = ts.isNoSubstitutionTemplateLiteral(template)
      ? literal(template, factory.createNoSubstitutionTemplateLiteral)
      : factory.createTemplateExpression(
          literal(template.head, factory.createTemplateHead),
          template.templateSpans.map((span) =>
            factory.createTemplateSpan(
              ts.visitNode(span.expression, visit),
              literal(
                span.literal,
                ts.isTemplateMiddle(span.literal) ? factory.createTemplateMiddle : factory.createTemplateTail,
              ),
            ),
          ),
        )
    return factory.updateTaggedTemplateExpression(node, node.tag, node.typeArguments, squeezed)
  }
  return (file) => ts.visitNode(file, visit)
}

/**
 * Strips types from the widget's and core's TypeScript sources (type-checking is `tsc -p widget`),
 * squeezes their html`` and css`` templates, and maps the `.js` specifiers of TypeScript sources
 * to their `.ts` files.
 */
export function typescriptSources() {
  return {
    name: 'typescript-sources',
    resolveId(source, importer) {
      if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js')) return null
      const candidate = resolve(dirname(importer), `${source.slice(0, -3)}.ts`)
      return existsSync(candidate) ? candidate : null
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          useDefineForClassFields: false,
          verbatimModuleSyntax: false,
        },
        transformers: { before: [squeezeTemplates] },
      })
      return { code: out.outputText, map: null }
    },
  }
}
