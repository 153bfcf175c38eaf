// Service catalog (事项清单): staff pages to maintain items, materials, forms and versions.
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
]
