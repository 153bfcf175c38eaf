// The UI's texts (issue #12, item 7): the shell's (web/src/i18n) and each module's
// (web/src/views/<module>/i18n.js) are merged deeply by web/src/i18n/merge.js, the very
// code the web UI runs, and a key given twice fails the merge with its path. These tests
// need no browser: they load the files in Node.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import { join, dirname, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { test } from '../lib/harness.mjs'
import { assert } from '../lib/helpers.mjs'

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'src')
const load = async (path) => (await import(pathToFileURL(join(SRC, path)).href)).default

/** mergeTexts over the real files, in the shape import.meta.glob gives the web UI. */
async function mergeRealTexts() {
  const { mergeTexts } = await import(pathToFileURL(join(SRC, 'i18n', 'merge.js')).href)
  const modules = {}
  for (const dir of readdirSync(join(SRC, 'views'))) {
    if (existsSync(join(SRC, 'views', dir, 'i18n.js'))) {
      modules[`../views/${dir}/i18n.js`] = { default: await load(`views/${dir}/i18n.js`) }
    }
  }
  return mergeTexts({ 'zh-CN': await load('i18n/zh-CN.js'), en: await load('i18n/en.js') }, modules)
}

test('the modules’ texts merge without a key given twice', async () => {
  const messages = await mergeRealTexts() // throws on a collision, naming the key
  assert.deepEqual(Object.keys(messages).sort(), ['en', 'zh-CN'])
})

test('a key given twice fails the merge with its path and both files', async () => {
  const { mergeTexts } = await import(pathToFileURL(join(SRC, 'i18n', 'merge.js')).href)
  const shell = { 'zh-CN': { common: { save: '保存' } }, en: { common: { save: 'Save' } } }
  // Two modules adding to one namespace is allowed (deep merge) …
  const merged = mergeTexts(shell, {
    '../views/a/i18n.js': { default: { en: { permissions: { 'a.read': 'Read A' } } } },
    '../views/b/i18n.js': { default: { en: { permissions: { 'b.read': 'Read B' } } } },
  })
  assert.deepEqual(merged.en.permissions, { 'a.read': 'Read A', 'b.read': 'Read B' })
  assert.equal(merged.en.common.save, 'Save')
  // … giving one key twice is not, whether as two texts or as a text and a namespace.
  const collide = (a, b) => () =>
    mergeTexts(shell, { '../views/a/i18n.js': { default: a }, '../views/b/i18n.js': { default: b } })
  assert.throws(collide({ en: { people: { name: 'Name' } } }, { en: { people: { name: 'Full name' } } }),
    /"en\.people\.name" is given by \.\.\/views\/a\/i18n\.js and again by \.\.\/views\/b\/i18n\.js/)
  assert.throws(collide({ 'zh-CN': { org: { hall: '大厅' } } }, { 'zh-CN': { org: { hall: { name: '名称' } } } }),
    /"zh-CN\.org\.hall" is given by/)
  assert.throws(() => mergeTexts(shell, { '../views/a/i18n.js': { default: { en: { common: { save: 'Keep' } } } } }),
    /"en\.common\.save" is given by src\/i18n and again by \.\.\/views\/a\/i18n\.js/)
})

test('every text key the pages name exists in zh-CN and in English', async () => {
  const messages = await mergeRealTexts()
  const has = (tree, key) => key.split('.').reduce((t, k) => (t && typeof t === 'object' ? t[k] : undefined), tree) !== undefined
  const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]))
  const missing = []
  for (const file of walk(SRC).filter((p) => /\.(vue|js)$/.test(p))) {
    const text = readFileSync(file, 'utf8')
    // t('a.b'), te('a.b'), tOr('a.b', …), $t('a.b') and the routes' meta (title, label, desc).
    const keys = [
      ...text.matchAll(/\b(?:t|te|tOr|\$t)\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g),
      ...text.matchAll(/\b(?:title|label|desc):\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g),
    ].map((m) => m[1])
    for (const key of keys) {
      for (const locale of ['zh-CN', 'en']) {
        if (!has(messages[locale], key)) missing.push(`${locale} ${key} (${relative(SRC, file)})`)
      }
    }
  }
  assert.deepEqual(missing, [], `text keys without a text:\n${missing.join('\n')}`)
})
