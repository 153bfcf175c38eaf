// Monthly statistics (B5 targets, B6.4 事务公开): the public page of published
// (closed) months, no login; the staff page with the live current month (stats.read).
export default [
  {
    path: '/stats',
    name: 'public-stats',
    component: () => import('./PublicStatsView.vue'),
    meta: {
      public: true,
      title: 'rep.nav.public',
      menu: { section: 'service', label: 'rep.nav.public', icon: 'TrendCharts', order: 65, desc: 'rep.desc.public' },
    },
  },
  {
    path: '/staff/stats',
    name: 'staff-stats',
    component: () => import('./StaffStatsView.vue'),
    meta: {
      permission: 'stats.read',
      title: 'rep.nav.staff',
      menu: { section: 'work', label: 'rep.nav.staff', icon: 'DataAnalysis', order: 80, desc: 'rep.desc.staff' },
    },
  },
]
