// The hall's self-service kiosk (自助取号机): full screen, signs in with its device token.
export default [
  {
    path: '/kiosk',
    name: 'kiosk',
    component: () => import('./KioskView.vue'),
    meta: {
      public: true,
      layout: 'bare',
      // Bare pages are not gated by meta.permission (the device token is the key);
      // it only limits the menu link to administrators, who set kiosks up.
      permission: 'devices.manage',
      title: 'kiosk.nav.kiosk',
      menu: { section: 'admin', label: 'kiosk.nav.kiosk', icon: 'Tickets', order: 75, desc: 'kiosk.desc.kiosk' },
    },
  },
]
