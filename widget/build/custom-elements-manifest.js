import { cli } from '@custom-elements-manifest/analyzer/cli.js'

/**
 * Runs `cem analyze --litelement` (settings in custom-elements-manifest.config.mjs) on the
 * sources and emits the result as `custom-elements.json`. `npm run manifest` writes the same
 * manifest to the package root, where a test compares it with this fresh one.
 */
export function customElementsManifest(cwd) {
  return {
    name: 'custom-elements-manifest',
    async generateBundle() {
      const manifest = await cli({ argv: ['analyze', '--litelement'], cwd, noWrite: true })
      this.emitFile({
        type: 'asset',
        fileName: 'custom-elements.json',
        source: `${JSON.stringify(manifest, null, 2)}\n`,
      })
    },
  }
}
