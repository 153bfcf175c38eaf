// The queue (A5, A6, B6.5): students take a number or book a slot on their phone,
// everyone follows a ticket by its link (no login), staff call at their window.
// The hall's kiosk (取号机) and display board (叫号屏) are here too: full screen, signed in
// with their device token.
const STUDENT = ['student']

export default [
  { path: '/queue', redirect: '/queue/take' },
  {
    path: '/queue/take',
    name: 'queue-take',
    component: () => import('./TakeView.vue'),
    meta: {
      permission: 'self.read',
      title: 'queue.nav.take',
      menu: { section: 'service', label: 'queue.nav.take', icon: 'Tickets', order: 5, desc: 'queue.desc.take', roles: STUDENT },
    },
  },
  {
    path: '/queue/mine',
    name: 'queue-mine',
    component: () => import('./MyTicketsView.vue'),
    meta: {
      permission: 'self.read',
      title: 'queue.nav.mine',
      menu: { section: 'service', label: 'queue.nav.mine', icon: 'Document', order: 6, roles: STUDENT },
    },
  },
  {
    path: '/queue/appointments',
    name: 'queue-appointments',
    component: () => import('./AppointmentsView.vue'),
    meta: { permission: 'self.read', title: 'queue.nav.appointments' },
  },
  {
    path: '/t/:token',
    name: 'ticket-status',
    component: () => import('./TicketStatusView.vue'),
    meta: { public: true, title: 'queue.nav.status' },
  },
  {
    path: '/print/ticket/:token',
    name: 'print-ticket',
    component: () => import('./PrintTicketView.vue'),
    meta: { public: true, layout: 'bare', title: 'queue.nav.print' },
  },
  {
    path: '/queue/console',
    name: 'queue-console-pick',
    component: () => import('./ConsolePickerView.vue'),
    meta: {
      permission: 'queue.operate',
      title: 'queue.nav.console',
      menu: {
        section: 'work',
        label: 'queue.nav.console',
        icon: 'Monitor',
        order: 5,
        desc: 'queue.desc.console',
        roles: ['staff', 'teacher'],
      },
    },
  },
  {
    path: '/queue/console/:windowId(\\d+)',
    name: 'queue-console',
    component: () => import('./ConsoleView.vue'),
    meta: { permission: 'queue.operate', title: 'queue.nav.console' },
  },
  // The hall's self-service kiosk (自助取号机): full screen, signs in with its device token.
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
  // The hall's display board (叫号显示屏): full screen on the hall's TV, signs in with
  // its device token (or a signed-in staff member's session).
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
