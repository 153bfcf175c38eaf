// Pages of no one capability: the signed-in home (the menu of every module's pages)
// and /admin, the landing of the Administration section, whose pages belong to
// several modules (people, org, auth, calendar).
export default [
  {
    path: '/',
    name: 'home',
    component: () => import('./HomeView.vue'),
    meta: { title: 'home.title', menu: { section: 'main', label: 'nav.home', icon: 'HomeFilled', order: 0 } },
  },
  // /admin opens the first /admin/… page of the Administration menu (by menu order) the
  // user may use, else the first one (which shows 403 in place). beforeEnter runs after
  // the global guard has loaded the session (a redirect would run before it); the menu
  // is imported here, not at the top, because it is built from these very routes.
  {
    path: '/admin',
    name: 'admin',
    component: () => import('./ForbiddenView.vue'),
    beforeEnter: async () => {
      const { adminLanding } = await import('../../menu.js')
      return adminLanding()
    },
  },
]
