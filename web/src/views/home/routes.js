export default [
  {
    path: '/',
    name: 'home',
    component: () => import('./HomeView.vue'),
    meta: { title: 'home.title', menu: { section: 'main', label: 'nav.home', icon: 'HomeFilled', order: 0 } },
  },
]
