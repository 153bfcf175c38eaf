// Accounts and sessions: sign in, change one's password, and the audit log
// (who did what to which record, and when) under Administration.
export default [
  {
    path: '/login',
    name: 'login',
    component: () => import('./LoginView.vue'),
    meta: { public: true, layout: 'bare', title: 'auth.login.title' },
  },
  {
    path: '/account/password',
    name: 'account-password',
    component: () => import('./PasswordView.vue'),
    meta: {
      title: 'auth.password.title',
      menu: { section: 'account', label: 'auth.nav.password', icon: 'Lock', order: 10, desc: 'auth.desc.password' },
    },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('./AuditView.vue'),
    meta: {
      permission: 'audit.read',
      title: 'auth.nav.audit',
      menu: { section: 'admin', label: 'auth.nav.audit', icon: 'Document', order: 80, desc: 'auth.desc.audit' },
    },
  },
]
