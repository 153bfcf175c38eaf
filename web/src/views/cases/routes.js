// Cases (办件, B6.1–B6.3, B6.5): the student's portal (my cases, timeline,
// notices, documents, follow-ups, due dates; apply online), the staff case desk
// (intake, materials checklist, one-time notice, referral, follow-ups due today)
// and the responsible teacher's oversight (at-risk, overdue, breaches, late follow-ups).
const STUDENT = ['student']

export default [
  {
    path: '/cases/mine',
    name: 'cases-mine',
    component: () => import('./MyCasesView.vue'),
    meta: {
      permission: 'self.read',
      title: 'cases.nav.mine',
      menu: { section: 'service', label: 'cases.nav.mine', icon: 'Document', order: 7, desc: 'cases.desc.mine', roles: STUDENT },
    },
  },
  {
    path: '/cases/mine/:id(\\d+)',
    name: 'cases-mine-one',
    component: () => import('./MyCaseView.vue'),
    meta: { permission: 'self.read', title: 'cases.nav.mine' },
  },
  {
    path: '/cases/desk',
    name: 'cases-desk',
    component: () => import('./DeskView.vue'),
    meta: {
      permission: 'cases.handle',
      title: 'cases.nav.desk',
      menu: { section: 'work', label: 'cases.nav.desk', icon: 'Files', order: 6, desc: 'cases.desc.desk' },
    },
  },
  {
    path: '/cases/:id(\\d+)',
    name: 'case',
    component: () => import('./CaseView.vue'),
    meta: { permission: 'cases.handle', title: 'cases.nav.desk' },
  },
  {
    path: '/cases/oversight',
    name: 'cases-oversight',
    component: () => import('./OversightView.vue'),
    meta: {
      permission: 'cases.oversee',
      title: 'cases.nav.oversight',
      menu: { section: 'work', label: 'cases.nav.oversight', icon: 'Warning', order: 7, desc: 'cases.desc.oversight' },
    },
  },
]
