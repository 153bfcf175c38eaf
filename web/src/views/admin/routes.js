// Administration (管理): people, roles, organisation, devices, audit log.
import { can } from '../../session.js'

const section = 'admin'
const pages = [
  {
    path: '/admin/people',
    name: 'admin-people',
    component: () => import('./PeopleView.vue'),
    meta: {
      permission: 'users.read',
      title: 'nav.people',
      menu: { section, label: 'nav.people', icon: 'User', order: 10, desc: 'home.desc.people' },
    },
  },
  {
    path: '/admin/roles',
    name: 'admin-roles',
    component: () => import('./RolesView.vue'),
    meta: {
      permission: 'roles.read',
      title: 'nav.roles',
      menu: { section, label: 'nav.roles', icon: 'Key', order: 20, desc: 'home.desc.roles' },
    },
  },
  {
    path: '/admin/halls',
    name: 'admin-halls',
    component: () => import('./HallsView.vue'),
    meta: {
      permission: 'org.read',
      title: 'nav.halls',
      menu: { section, label: 'nav.halls', icon: 'OfficeBuilding', order: 30, desc: 'home.desc.halls' },
    },
  },
  {
    path: '/admin/windows',
    name: 'admin-windows',
    component: () => import('./WindowsView.vue'),
    meta: {
      permission: 'org.read',
      title: 'nav.windows',
      menu: { section, label: 'nav.windows', icon: 'Postcard', order: 40, desc: 'home.desc.windows' },
    },
  },
  {
    path: '/admin/units',
    name: 'admin-units',
    component: () => import('./UnitsView.vue'),
    meta: {
      permission: 'org.read',
      title: 'nav.units',
      menu: { section, label: 'nav.units', icon: 'Stamp', order: 50, desc: 'home.desc.units' },
    },
  },
  {
    path: '/admin/colleges',
    name: 'admin-colleges',
    component: () => import('./CollegesView.vue'),
    meta: {
      permission: 'org.read',
      title: 'nav.colleges',
      menu: { section, label: 'nav.colleges', icon: 'School', order: 60, desc: 'home.desc.colleges' },
    },
  },
  {
    path: '/admin/devices',
    name: 'admin-devices',
    component: () => import('./DevicesView.vue'),
    meta: {
      permission: 'devices.manage',
      title: 'nav.devices',
      menu: { section, label: 'nav.devices', icon: 'Monitor', order: 70, desc: 'home.desc.devices' },
    },
  },
  {
    path: '/admin/audit',
    name: 'admin-audit',
    component: () => import('./AuditView.vue'),
    meta: {
      permission: 'audit.read',
      title: 'nav.audit',
      menu: { section, label: 'nav.audit', icon: 'Document', order: 80, desc: 'home.desc.audit' },
    },
  },
]

export default [
  // /admin opens the first administration page the user may use. beforeEnter runs
  // after the global guard has loaded the session (a redirect would run before it).
  {
    path: '/admin',
    name: 'admin',
    component: () => import('../home/ForbiddenView.vue'),
    beforeEnter: () => (pages.find((p) => can(p.meta.permission)) || pages[0]).path,
  },
  ...pages,
]
