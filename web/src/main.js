import { createApp } from 'vue'
// Element Plus is imported on demand per component (vite.config.js); only the
// base styles and the programmatic services' styles are loaded here.
import 'element-plus/theme-chalk/base.css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/notification/style/css'
import App from './App.vue'
import { router } from './router/index.js'
import { i18n, currentLocale } from './i18n/index.js'
import { setLanguageProvider, onUnauthorized } from './api.js'
import { clearSession } from './session.js'
import './styles.css'
import { installA11yFixes } from './a11y.js'

setLanguageProvider(() => (currentLocale() === 'en' ? 'en' : 'zh-CN'))

// A 401 from any API call means the session is gone: back to the login page.
onUnauthorized(() => {
  clearSession()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
  }
})

document.documentElement.lang = currentLocale()

// After a new release the old hashed chunks are gone: a page still open from
// before fails to load the next lazy page. Reload once to pick up the new build.
const RELOAD_KEY = 'hall.chunkReloadAt'
function reloadForNewBuild(event) {
  const last = Number(sessionStorage.getItem(RELOAD_KEY) || 0)
  if (Date.now() - last < 10_000) return // reloaded moments ago: let the error surface
  sessionStorage.setItem(RELOAD_KEY, String(Date.now()))
  if (event) event.preventDefault()
  window.location.reload()
}
window.addEventListener('vite:preloadError', reloadForNewBuild)
router.onError((err, to) => {
  if (/Failed to fetch dynamically imported module|Importing a module script failed|Unable to preload/i.test(String(err && err.message))) {
    const last = Number(sessionStorage.getItem(RELOAD_KEY) || 0)
    if (Date.now() - last >= 10_000) {
      sessionStorage.setItem(RELOAD_KEY, String(Date.now()))
      window.location.assign(to.fullPath)
    }
  }
})

createApp(App).use(i18n).use(router).mount('#app')
installA11yFixes()
