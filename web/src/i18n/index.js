import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'

// Each capability may keep its texts beside its pages in src/views/<capability>/i18n.js:
//   export default { 'zh-CN': { catalog: {…} }, en: { catalog: {…} } }
// merged here under their own top-level keys, so capabilities never edit each other's files.
const capabilityTexts = import.meta.glob('../views/*/i18n.js', { eager: true })
for (const mod of Object.values(capabilityTexts)) {
  const texts = mod.default || {}
  Object.assign(zhCN, texts['zh-CN'] || {})
  Object.assign(en, texts.en || {})
}

export const LANG_KEY = 'hall.lang'
export const LANGUAGES = [
  { code: 'zh-CN', label: '中文' },
  { code: 'en', label: 'English' },
]

function initialLocale() {
  try {
    const saved = localStorage.getItem(LANG_KEY)
    if (saved && LANGUAGES.some((l) => l.code === saved)) return saved
  } catch {
    /* storage unavailable */
  }
  return 'zh-CN' // zh-CN is the default, whatever the browser says
}

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  missingWarn: false,
  fallbackWarn: false,
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale() {
  return i18n.global.locale.value
}

export function setLocale(code) {
  if (!LANGUAGES.some((l) => l.code === code)) return
  i18n.global.locale.value = code
  try {
    localStorage.setItem(LANG_KEY, code)
  } catch {
    /* ignore */
  }
  document.documentElement.lang = code
  document.title = i18n.global.t('app.title')
}

/** Translate key if it exists, else return the fallback (server-provided names, unknown codes). */
export function tOr(key, fallback) {
  return i18n.global.te(key) || i18n.global.te(key, 'zh-CN') ? i18n.global.t(key) : fallback
}
