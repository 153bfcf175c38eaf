// Announcements (公告, B6.4): public list and detail (no login), staff management.
export default [
  {
    path: '/announcements',
    name: 'announcements',
    component: () => import('./PublicListView.vue'),
    meta: {
      public: true,
      title: 'ann.nav.public',
      menu: { section: 'service', label: 'ann.nav.public', icon: 'ChatDotRound', order: 62, desc: 'ann.desc.public' },
    },
  },
  {
    path: '/announcements/:id(\\d+)',
    name: 'announcement',
    component: () => import('./PublicDetailView.vue'),
    meta: { public: true, title: 'ann.nav.public' },
  },
  {
    path: '/admin/announcements',
    name: 'admin-announcements',
    component: () => import('./AdminView.vue'),
    meta: {
      permission: 'announcements.write',
      title: 'ann.nav.admin',
      menu: { section: 'work', label: 'ann.nav.admin', icon: 'Document', order: 60, desc: 'ann.desc.admin' },
    },
  },
]
