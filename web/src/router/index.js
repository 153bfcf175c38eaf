import { createRouter, createWebHistory } from 'vue-router'
import { session, loadSession } from '../session.js'
import { i18n } from '../i18n/index.js'

// Each capability declares its pages in src/views/<capability>/routes.js:
//   meta.permission  permission (or list, any of) needed; without it the layout shows 403
//   meta.public      reachable without signing in
//   meta.layout      'bare' for full-screen pages (login)
//   meta.menu        { section, label, icon, order, desc } → appears in the menus
//   meta.title       i18n key for the document title
const modules = import.meta.glob('../views/*/routes.js', { eager: true })
const capabilityRoutes = Object.values(modules).flatMap((m) => m.default || [])

export const routes = [
  ...capabilityRoutes,
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../views/home/NotFoundView.vue'),
    meta: { title: 'errors.notFoundTitle' },
  },
]

export const router = createRouter({
  history: createWebHistory('/'),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (!session.loaded) {
    try {
      await loadSession()
    } catch {
      // Server unreachable: treat as signed out; the login page will show the error on submit.
      session.loaded = true
    }
  }
  if (to.meta.public) {
    if (to.name === 'login' && session.user) return { path: safeRedirect(to.query.redirect) }
    return true
  }
  if (!session.user) {
    return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  return true // permission is checked by the layout, which shows the 403 page in place
})

router.afterEach((to) => {
  const t = i18n.global.t
  const title = to.meta.title ? t(to.meta.title) : ''
  document.title = title ? `${title} · ${t('app.title')}` : t('app.title')
})

/** Only follow same-site, in-app redirects. */
export function safeRedirect(target) {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) return '/'
  if (target.startsWith('/login')) return '/'
  return target
}
