// The courtesy check (B1): the list of forbidden phrasings (read by all staff,
// kept by the teacher and administrators) and the blocked attempts (teacher).
// The reusable CourtesyInput.vue / useCourtesyCheck.js live here too.
export default [
  {
    path: '/courtesy/phrases',
    name: 'courtesy-phrases',
    component: () => import('./PhrasesView.vue'),
    meta: {
      permission: 'courtesy.check',
      title: 'courtesy.nav.phrases',
      menu: { section: 'work', label: 'courtesy.nav.phrases', icon: 'ChatDotRound', order: 70, desc: 'courtesy.desc.phrases' },
    },
  },
  {
    path: '/courtesy/attempts',
    name: 'courtesy-attempts',
    component: () => import('./AttemptsView.vue'),
    meta: {
      permission: 'courtesy.review',
      title: 'courtesy.nav.attempts',
      menu: { section: 'work', label: 'courtesy.nav.attempts', icon: 'DataLine', order: 71, desc: 'courtesy.desc.attempts' },
    },
  },
]
