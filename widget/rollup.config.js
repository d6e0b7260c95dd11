// Builds the widget into dist/: two ES-module entries that share Lit, and lazy chunks for the
// 100ms SDK and hls.js (loaded with import() only when playback starts).
import { existsSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import commonjs from '@rollup/plugin-commonjs'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import terser from '@rollup/plugin-terser'
import ts from 'typescript'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * Strips types from the widget's and core's TypeScript sources (type-checking is `tsc -p widget`).
 * Also maps the `.js` specifiers of TypeScript sources to their `.ts` files.
 */
function typescriptSources() {
  return {
    name: 'typescript-sources',
    resolveId(source, importer) {
      if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js')) return null
      const candidate = resolve(dirname(importer), `${source.slice(0, -3)}.ts`)
      return existsSync(candidate) ? candidate : null
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null
      // CSS in css`` literals is not touched by terser: collapse its whitespace here.
      code = code.replace(
        /css`([^`]*)`/g,
        (_, body) =>
          'css`' +
          body
            .replace(/\s+/g, ' ')
            .replace(/ ?([{};:,>]) ?/g, '$1')
            .trim() +
          '`',
      )
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: ts.ModuleKind.ESNext,
          experimentalDecorators: true,
          importHelpers: true,
          useDefineForClassFields: false,
          verbatimModuleSyntax: false,
        },
      })
      return { code: out.outputText, map: null }
    },
  }
}

export default {
  input: {
    'live-stream-viewer': resolve(here, 'src/index.ts'),
    'live-stream-list': resolve(here, 'src/live-stream-list.ts'),
  },
  output: {
    dir: resolve(here, 'dist'),
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: false,
  },
  plugins: [
    { name: 'clean-dist', buildStart: () => rmSync(resolve(here, 'dist'), { recursive: true, force: true }) },
    typescriptSources(),
    // immer (inside the SDK) reads process.env.NODE_ENV unguarded.
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    nodeResolve({
      browser: true,
      exportConditions: ['@hms-admin/source', 'production', 'browser', 'import', 'default'],
      extensions: ['.ts', '.mjs', '.js'],
    }),
    commonjs(),
    // NO_MINIFY=1 keeps the output readable when debugging the SDK chunk.
    process.env.NO_MINIFY
      ? null
      : terser({
          ecma: 2020,
          module: true,
          toplevel: true,
          format: { comments: false },
          compress: { passes: 3, unsafe_arrows: true },
        }),
  ],
  onwarn(warning, warn) {
    if (
      warning.code === 'INVALID_ANNOTATION' ||
      warning.code === 'THIS_IS_UNDEFINED' ||
      warning.code === 'CIRCULAR_DEPENDENCY'
    )
      return
    warn(warning)
  },
}
