import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import App from './App.vue'
import { router } from './router/index.js'
import { i18n, currentLocale } from './i18n/index.js'
import { setLanguageProvider, onUnauthorized } from './api.js'
import { clearSession } from './session.js'
import './styles.css'

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

createApp(App).use(i18n).use(ElementPlus).use(router).mount('#app')
