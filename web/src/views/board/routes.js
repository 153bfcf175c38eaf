// The hall's display board (叫号显示屏): full screen on the hall's TV, signs in with
// its device token (or a signed-in staff member's session).
export default [
  {
    path: '/board',
    name: 'board-setup',
    component: () => import('./BoardSetupView.vue'),
    meta: {
      public: true,
      layout: 'bare',
      // Bare pages are not gated by meta.permission (the device token is the key);
      // it only limits the menu link to administrators, who set boards up.
      permission: 'devices.manage',
      title: 'kiosk.nav.board',
      menu: { section: 'admin', label: 'kiosk.nav.board', icon: 'Monitor', order: 76, desc: 'kiosk.desc.board' },
    },
  },
  {
    path: '/board/:hallId(\\d+)',
    name: 'board',
    component: () => import('./BoardView.vue'),
    meta: { public: true, layout: 'bare', title: 'kiosk.nav.board' },
  },
]
