// Working-day calendar: public hours/closures and windows pages (B6.4, no login),
// and the administration page (calendar.write).
export default [
  {
    path: '/hall/hours',
    name: 'hall-hours',
    component: () => import('./PublicHoursView.vue'),
    meta: {
      public: true,
      title: 'cal.nav.hours',
      menu: { section: 'service', label: 'cal.nav.hours', icon: 'Calendar', order: 60, desc: 'cal.desc.hours' },
    },
  },
  {
    path: '/hall/windows',
    name: 'hall-windows',
    component: () => import('./PublicWindowsView.vue'),
    meta: {
      public: true,
      title: 'cal.nav.windows',
      menu: { section: 'service', label: 'cal.nav.windows', icon: 'Postcard', order: 61, desc: 'cal.desc.windows' },
    },
  },
  {
    path: '/admin/calendar',
    name: 'admin-calendar',
    component: () => import('./CalendarAdminView.vue'),
    meta: {
      permission: 'calendar.write',
      title: 'cal.nav.admin',
      menu: { section: 'admin', label: 'cal.nav.admin', icon: 'Calendar', order: 65, desc: 'cal.desc.admin' },
    },
  },
]
