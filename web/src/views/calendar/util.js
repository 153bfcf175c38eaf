// Helpers shared by the calendar pages.
import { HALL_TIME_ZONE } from '../../format.js'

export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
export const REASON_COLORS = {
  workday: '#ffffff',
  weekend: '#f2f3f5',
  holiday: '#fde2e2',
  adjusted_workday: '#e1f3d8',
  closure: '#fdf0d5',
}

const pad = (n) => String(n).padStart(2, '0')

/** Today's date in the hall's zone, "YYYY-MM-DD". */
export function hallToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: HALL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
}

export function monthRange(year, month) {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return { from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${pad(last)}` }
}

/** ISO instant → "MM-DD HH:mm" (or "HH:mm" when today) in the hall's zone. */
export function hallTime(iso, withDate = true) {
  if (!iso) return ''
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: HALL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const get = (t) => parts.find((p) => p.type === t)?.value || ''
  const date = `${get('year')}-${get('month')}-${get('day')}`
  const time = `${get('hour')}:${get('minute')}`
  return withDate && date !== hallToday() ? `${date} ${time}` : time
}

/** "08:00-12:00, 14:30-17:30" ⇄ ["08:00-12:00", "14:30-17:30"] */
export const periodsText = (list) => (list || []).join(', ')
export const periodsList = (text) =>
  String(text || '')
    .split(/[,，;；\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
