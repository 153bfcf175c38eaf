// Public disclosure (事务公开, B6.4): the service guide, readable without signing in.
export default [
  {
    path: '/services',
    name: 'public-catalog',
    component: () => import('./PublicCatalogView.vue'),
    meta: {
      public: true,
      title: 'catalog.pub.title',
      menu: { section: 'service', label: 'catalog.nav.public', icon: 'Document', order: 10, desc: 'catalog.nav.publicDesc' },
    },
  },
  {
    path: '/services/:id(\\d+)',
    name: 'public-catalog-item',
    component: () => import('./PublicItemView.vue'),
    meta: { public: true, title: 'catalog.pub.title' },
  },
]
