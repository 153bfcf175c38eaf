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
      menu: { section: 'account', label: 'nav.password', icon: 'Lock', order: 10, desc: 'home.desc.password' },
    },
  },
]
