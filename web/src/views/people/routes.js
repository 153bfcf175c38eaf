// People (人员): student and staff accounts (create, import, disable, reset passwords)
// and the read-only table of roles and their permissions, under Administration.
export default [
  {
    path: '/admin/people',
    name: 'admin-people',
    component: () => import('./PeopleView.vue'),
    meta: {
      permission: 'users.read',
      title: 'people.nav.people',
      menu: { section: 'admin', label: 'people.nav.people', icon: 'User', order: 10, desc: 'people.desc.people' },
    },
  },
  {
    path: '/admin/roles',
    name: 'admin-roles',
    component: () => import('./RolesView.vue'),
    meta: {
      permission: 'roles.read',
      title: 'people.nav.roles',
      menu: { section: 'admin', label: 'people.nav.roles', icon: 'Key', order: 20, desc: 'people.desc.roles' },
    },
  },
]
