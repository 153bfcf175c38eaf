// Complaints, suggestions and praise (投诉与建议, C1–C3): public submission and
// tracking (mobile-first, no login), the student's own list, the complaint desk
// (complaints.handle) and the teacher's oversight (feedback.oversee).
export default [
  {
    path: '/feedback/new',
    name: 'feedback-new',
    component: () => import('./SubmitView.vue'),
    meta: {
      public: true,
      title: 'fb.nav.submit',
      menu: { section: 'service', label: 'fb.nav.submit', icon: 'ChatDotRound', order: 70, desc: 'fb.desc.submit' },
    },
  },
  {
    path: '/feedback/track',
    name: 'feedback-track',
    component: () => import('./TrackView.vue'),
    meta: {
      public: true,
      title: 'fb.nav.track',
      menu: { section: 'service', label: 'fb.nav.track', icon: 'Tickets', order: 71, desc: 'fb.desc.track' },
    },
  },
  {
    path: '/my/feedback',
    name: 'my-feedback',
    component: () => import('./MyFeedbackView.vue'),
    meta: { title: 'fb.nav.mine' },
  },
  {
    path: '/feedback/desk',
    name: 'feedback-desk',
    component: () => import('./DeskView.vue'),
    meta: {
      permission: 'complaints.handle',
      title: 'fb.nav.desk',
      menu: { section: 'work', label: 'fb.nav.desk', icon: 'Monitor', order: 70, desc: 'fb.desc.desk' },
    },
  },
  {
    path: '/feedback/oversight',
    name: 'feedback-oversight',
    component: () => import('./OversightView.vue'),
    meta: {
      permission: 'feedback.oversee',
      title: 'fb.nav.oversight',
      menu: { section: 'work', label: 'fb.nav.oversight', icon: 'DataLine', order: 71, desc: 'fb.desc.oversight' },
    },
  },
  {
    path: '/pad',
    name: 'rating-pad',
    component: () => import('./RatingPadView.vue'),
    meta: {
      public: true,
      layout: 'bare',
      // The device token is the key; the menu link is for administrators, who set pads up.
      permission: 'devices.manage',
      title: 'fb.nav.pad',
      menu: { section: 'admin', label: 'fb.nav.pad', icon: 'Stamp', order: 77, desc: 'fb.desc.pad' },
    },
  },
  {
    path: '/my/ratings',
    name: 'staff-ratings',
    component: () => import('./StaffRatingsView.vue'),
    meta: {
      permission: 'queue.operate',
      title: 'fb.nav.myRatings',
      menu: { section: 'work', label: 'fb.nav.myRatings', icon: 'DataLine', order: 72, desc: 'fb.desc.myRatings' },
    },
  },
]
