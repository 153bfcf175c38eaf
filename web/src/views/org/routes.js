// Organisation (组织机构, D3, D6, D7): service halls, windows, resident units, colleges
// and the hall's devices (kiosks, boards, rating pads), under Administration.
export default [
  {
    path: '/admin/halls',
    name: 'admin-halls',
    component: () => import('./OrgListView.vue'),
    props: { list: 'halls' },
    meta: {
      permission: 'org.read',
      title: 'org.nav.halls',
      menu: { section: 'admin', label: 'org.nav.halls', icon: 'OfficeBuilding', order: 30, desc: 'org.desc.halls' },
    },
  },
  {
    path: '/admin/windows',
    name: 'admin-windows',
    component: () => import('./WindowsView.vue'),
    meta: {
      permission: 'org.read',
      title: 'org.nav.windows',
      menu: { section: 'admin', label: 'org.nav.windows', icon: 'Postcard', order: 40, desc: 'org.desc.windows' },
    },
  },
  {
    path: '/admin/units',
    name: 'admin-units',
    component: () => import('./OrgListView.vue'),
    props: { list: 'units' },
    meta: {
      permission: 'org.read',
      title: 'org.nav.units',
      menu: { section: 'admin', label: 'org.nav.units', icon: 'Stamp', order: 50, desc: 'org.desc.units' },
    },
  },
  {
    path: '/admin/colleges',
    name: 'admin-colleges',
    component: () => import('./OrgListView.vue'),
    props: { list: 'colleges' },
    meta: {
      permission: 'org.read',
      title: 'org.nav.colleges',
      menu: { section: 'admin', label: 'org.nav.colleges', icon: 'School', order: 60, desc: 'org.desc.colleges' },
    },
  },
  {
    path: '/admin/devices',
    name: 'admin-devices',
    component: () => import('./DevicesView.vue'),
    meta: {
      permission: 'devices.manage',
      title: 'org.nav.devices',
      menu: { section: 'admin', label: 'org.nav.devices', icon: 'Monitor', order: 70, desc: 'org.desc.devices' },
    },
  },
]
