import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join, sep } from 'node:path'

const LICENSE_FILE = /^(licen[cs]e|copying|notice|copyrightnotice)(\.(md|txt))?$/i

/** The root of the npm package a bundled module comes from, or null for the widget's own code. */
function packageRootOf(moduleId) {
  const path = moduleId.replace(/^\0/, '').replace(/\?.*$/, '')
  const at = path.lastIndexOf(`${sep}node_modules${sep}`)
  if (at < 0) return null
  const rest = path.slice(at + 14).split(sep)
  const depth = rest[0]?.startsWith('@') ? 2 : 1
  return join(path.slice(0, at + 14), ...rest.slice(0, depth))
}

/** Name, version, license and license texts of the package at `root`. */
export function describePackage(root) {
  const { name, version, license } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const texts = readdirSync(root)
    .filter((file) => LICENSE_FILE.test(file))
    .sort()
    .map((file) => readFileSync(join(root, file), 'utf8').trim())
  if (texts.length === 0) throw new Error(`third-party-licenses: ${name} ships no license file`)
  return { name, version, license: typeof license === 'string' ? license : JSON.stringify(license), texts }
}

/** The roots of the npm packages the given module ids come from. */
export function packageRootsOf(moduleIds) {
  const roots = new Set()
  for (const id of moduleIds) {
    const root = packageRootOf(id)
    if (root && existsSync(join(root, 'package.json'))) roots.add(root)
  }
  return [...roots]
}

/**
 * Emits `THIRD_PARTY_LICENSES.txt`: the name, version, license and license files of every npm
 * package in the bundle's module graph (a package whose code was all tree-shaken is listed too).
 */
export function thirdPartyLicenses() {
  return {
    name: 'third-party-licenses',
    generateBundle() {
      const packages = packageRootsOf(this.getModuleIds())
        .map(describePackage)
        .sort((a, b) => a.name.localeCompare(b.name))
      const rule = '='.repeat(80)
      const sections = packages.map(
        (p) => `${rule}\nPackage: ${p.name}@${p.version}\nLicense: ${p.license}\n\n${p.texts.join('\n\n')}\n`,
      )
      this.emitFile({
        type: 'asset',
        fileName: 'THIRD_PARTY_LICENSES.txt',
        source: `The files of @hms-admin/widget's dist/ bundle the following packages.\n\n${sections.join('\n')}`,
      })
    },
  }
}
