// The UI's texts are the shell's (src/i18n/zh-CN.js, en.js) and those each module keeps
// beside its pages (src/views/<module>/i18n.js: { 'zh-CN': {…}, en: {…} }), merged deeply:
// two files may add keys to one namespace, but no key may be given twice. A collision
// throws with the key's path and both files, so a module cannot silently overwrite
// another's text (tests/browser/specs/i18n.spec.mjs runs this merge in the test suite).
// Plain JavaScript with no imports: the browser build and Node's tests both load it.

const isTree = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Merge `source` into `target` in place; `path` names target, `origin` remembers who gave each key. */
function mergeInto(target, source, path, file, origin) {
  for (const [key, value] of Object.entries(source)) {
    const at = `${path}.${key}`
    if (!Object.hasOwn(target, key)) {
      origin.set(at, file)
      if (isTree(value)) mergeInto((target[key] = {}), value, at, file, origin)
      else target[key] = value
    } else if (isTree(target[key]) && isTree(value)) {
      mergeInto(target[key], value, at, file, origin)
    } else {
      throw new Error(`i18n key collision: "${at}" is given by ${origin.get(at)} and again by ${file}`)
    }
  }
}

/**
 * The messages of every locale, from the shell's texts and the modules' files.
 * @param shell   { 'zh-CN': {…}, en: {…} }
 * @param modules { [file]: { default: { 'zh-CN': {…}, en: {…} } } } (import.meta.glob's shape)
 * @throws Error naming the colliding key path ("en.people.name") and both files
 */
export function mergeTexts(shell, modules) {
  const messages = {}
  const origin = new Map()
  const add = (texts, file) => {
    for (const [locale, tree] of Object.entries(texts || {})) {
      if (!Object.hasOwn(messages, locale)) messages[locale] = {}
      mergeInto(messages[locale], tree, locale, file, origin)
    }
  }
  add(shell, 'src/i18n')
  for (const file of Object.keys(modules).sort()) add(modules[file].default, file)
  return messages
}
