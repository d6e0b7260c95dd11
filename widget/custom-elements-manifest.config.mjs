/** Settings of `cem analyze --litelement` (the build and `npm run manifest`). */
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.d.ts', 'src/locales/**'],
  outdir: '',
  packagejson: false,
  quiet: true,
}
