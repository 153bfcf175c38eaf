// Whether the hall takes numbers now, and when it opens next (issue #11, item 5):
// told on arrival at /queue/take and at the kiosk, not after the student has confirmed.
//
//   const open = useHallOpen(() => hallId, (path, query) => api.get(path, query))
//   open.takeable   → false while closed or within the last 15 minutes of a session
//   open.message    → "大厅现在不办理取号，明天 08:00 开放"
//   await open.refusal(e, hint) → { code, text, hint } to show when taking was refused
//
// GET /calendar/open-now (public) answers open, closes_at and next_opening; the
// queue refuses numbers from 15 minutes before a session closes (kClosingSoonMinutes).
import { computed, onBeforeUnmount, onMounted, ref } from 'vue'
import { i18n } from '../../i18n/index.js'
import { HALL_TIME_ZONE } from '../../format.js'
import { refusalText } from './util.js'

export const CLOSING_SOON_MINUTES = 15

function parts(d) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: HALL_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hourCycle: 'h23',
  })
  const o = {}
  for (const p of f.formatToParts(d)) o[p.type] = p.value
  return o
}

/** "今天 14:30" / "明天 08:00" / "12月9日（周三）08:00" (en: "today at 14:30", …) in the hall's zone. */
export function whenText(iso, nowMs = Date.now()) {
  const t = i18n.global.t
  const at = new Date(iso)
  const a = parts(at)
  const n = parts(new Date(nowMs))
  const day = (p) => Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day))
  const diff = Math.round((day(a) - day(n)) / 86400000)
  const time = `${a.hour}:${a.minute}`
  if (diff === 0) return t('queue.open.today', { time })
  if (diff === 1) return t('queue.open.tomorrow', { time })
  const weekday = t(`queue.open.weekdays.${a.weekday.toLowerCase()}`)
  return t('queue.open.onDate', { month: Number(a.month), day: Number(a.day), weekday, time })
}

export function useHallOpen(hallId, get, { refreshMs = 60000 } = {}) {
  const state = ref(null) // the open-now answer
  let timer = null
  async function refresh() {
    try {
      const id = typeof hallId === 'function' ? hallId() : hallId
      state.value = await get('/calendar/open-now', id ? { hall: id } : {})
    } catch {
      /* unknown: say nothing, the queue still refuses on the server */
    }
  }
  onMounted(() => {
    refresh()
    timer = setInterval(refresh, refreshMs)
  })
  onBeforeUnmount(() => clearInterval(timer))

  const takeable = computed(() => {
    const s = state.value
    if (!s) return true
    if (!s.open) return false
    if (!s.closes_at) return true
    return new Date(s.closes_at).getTime() - new Date(s.now).getTime() > CLOSING_SOON_MINUTES * 60000
  })
  const message = computed(() => {
    const s = state.value
    if (!s || takeable.value) return ''
    const t = i18n.global.t
    const now = new Date(s.now).getTime()
    if (s.open) {
      // The last minutes of a session: no more numbers until the next session.
      return s.next_opening
        ? t('queue.open.closingSoonUntil', { n: CLOSING_SOON_MINUTES, when: whenText(s.next_opening, now) })
        : t('queue.open.closingSoon', { n: CLOSING_SOON_MINUTES })
    }
    return s.next_opening ? t('queue.open.closedUntil', { when: whenText(s.next_opening, now) }) : t('queue.open.closed')
  })
  // A refused take: a closed hall is told once, with when it reopens (the server's message
  // and the hint said the same twice); any other refusal with its reason and `hint(e)`.
  async function refusal(e, hint) {
    if (e.code === 'hall_closed') {
      await refresh()
      return { code: e.code, text: message.value || refusalText(e), hint: '' }
    }
    return { code: e.code, text: refusalText(e), hint: hint(e) }
  }
  return { state, takeable, message, refresh, refusal }
}
