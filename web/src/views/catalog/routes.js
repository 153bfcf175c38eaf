// Service catalog (事项清单): staff pages to maintain items, materials, forms and versions,
// and the public service guide (事务公开, B6.4), readable without signing in.
export default [
  {
    path: '/catalog',
    name: 'catalog-items',
    component: () => import('./CatalogListView.vue'),
    meta: {
      permission: 'catalog.write',
      title: 'catalog.nav.items',
      menu: { section: 'work', label: 'catalog.nav.items', icon: 'Tickets', order: 30, desc: 'catalog.nav.desc' },
    },
  },
  {
    path: '/catalog/items/new',
    name: 'catalog-item-new',
    component: () => import('./ItemEditView.vue'),
    meta: { permission: 'catalog.write', title: 'catalog.newItem' },
  },
  {
    path: '/catalog/items/:id',
    name: 'catalog-item-edit',
    component: () => import('./ItemEditView.vue'),
    meta: { permission: 'catalog.write', title: 'catalog.editItem' },
  },
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
