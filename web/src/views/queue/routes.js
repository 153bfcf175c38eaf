// The queue (A5, A6, B6.5): students take a number or book a slot on their phone,
// everyone follows a ticket by its link (no login), staff call at their window.
// The kiosk (取号机) and the display board (叫号屏) live in views/kiosk and views/board.
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
]
