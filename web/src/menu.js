// Menu sections, in order. Capabilities add their pages to a section through
// meta.menu in their routes.js; a section shows only if one of its pages is allowed.
import { computed } from 'vue'
import { routes } from './router/index.js'
import { session, can } from './session.js'

export const SECTIONS = [
  { key: 'main', label: '', order: 0 },
  { key: 'service', label: 'nav.service', order: 10 },
  { key: 'work', label: 'nav.work', order: 20 },
  { key: 'account', label: 'nav.account', order: 90 },
  { key: 'admin', label: 'nav.admin', order: 100 },
]

function collect(list, prefix = '') {
  const out = []
  for (const r of list) {
    const path = r.path.startsWith('/') ? r.path : `${prefix}/${r.path}`
    if (r.meta && r.meta.menu) out.push({ path, route: r })
    if (r.children) out.push(...collect(r.children, path))
  }
  return out
}

const allItems = collect(routes)

/** Menu sections visible to the current user: [{ key, label, items: [{path,label,icon,desc}] }]. */
export const visibleMenu = computed(() => {
  const role = session.user ? session.user.role : null
  return SECTIONS.map((s) => {
    const items = allItems
      .filter(({ route }) => route.meta.menu.section === s.key)
      .filter(({ route }) => can(route.meta.permission))
      .filter(({ route }) => !route.meta.menu.roles || route.meta.menu.roles.includes(role))
      .map(({ path, route }) => ({
        path,
        name: route.name,
        label: route.meta.menu.label,
        icon: route.meta.menu.icon,
        desc: route.meta.menu.desc,
        order: route.meta.menu.order ?? 50,
      }))
      .sort((a, b) => a.order - b.order)
    return { ...s, items }
  }).filter((s) => s.items.length > 0)
})

/** Where /admin leads: the first /admin/… page of the Administration menu the user may
 *  use (by menu order), else the first such page at all (it shows 403 in place). */
export function adminLanding() {
  const pages = allItems
    .filter(({ path, route }) => route.meta.menu.section === 'admin' && path.startsWith('/admin/'))
    .sort((a, b) => (a.route.meta.menu.order ?? 50) - (b.route.meta.menu.order ?? 50))
  const allowed = pages.find(({ route }) => can(route.meta.permission))
  return (allowed || pages[0]).path
}
