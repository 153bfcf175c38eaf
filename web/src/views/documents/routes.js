// Accurate documents (B5): staff issue and correct certificates and receipts
// filled from the records, students download their own, and anyone verifies a
// document by its code or QR code (/verify/<code>, no login, mobile first).
export default [
  {
    path: '/verify',
    name: 'verify-form',
    component: () => import('./VerifyView.vue'),
    meta: {
      public: true,
      title: 'docs.nav.verify',
      menu: { section: 'service', label: 'docs.nav.verify', icon: 'Postcard', order: 64, desc: 'docs.desc.verify' },
    },
  },
  {
    path: '/verify/:code',
    name: 'verify',
    component: () => import('./VerifyView.vue'),
    meta: { public: true, title: 'docs.nav.verify' },
  },
  {
    path: '/documents',
    name: 'documents',
    component: () => import('./DocumentsView.vue'),
    meta: {
      permission: 'documents.issue',
      title: 'docs.nav.issue',
      menu: { section: 'work', label: 'docs.nav.issue', icon: 'Stamp', order: 30, desc: 'docs.desc.issue' },
    },
  },
  {
    path: '/documents/mine',
    name: 'my-documents',
    component: () => import('./MyDocumentsView.vue'),
    meta: {
      permission: 'self.read',
      title: 'docs.nav.mine',
      menu: { section: 'service', label: 'docs.nav.mine', icon: 'Document', order: 8, roles: ['student'] },
    },
  },
]
