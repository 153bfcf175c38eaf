import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN.js'
import en from './en.js'
import { mergeTexts } from './merge.js'

// The shell's texts (app, common, the layout's nav, the shared import dialog) and each
// module's own, src/views/<module>/i18n.js ({ 'zh-CN': {…}, en: {…} }), merged deeply:
// a key given twice throws here, with its path (see merge.js).
const messages = mergeTexts({ 'zh-CN': zhCN, en }, import.meta.glob('../views/*/i18n.js', { eager: true }))

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
  messages,
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
