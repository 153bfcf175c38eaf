import { i18n, tOr } from './i18n/index.js'

export const HALL_TIME_ZONE = 'Asia/Shanghai'

export function roleLabel(role) {
  return role ? tOr(`roles.${role}`, role) : ''
}

export function permissionLabel(p) {
  return tOr(`permissions.${p}`, p)
}

/** ISO 8601 UTC → local time in the hall's zone, e.g. 2025-03-01 09:05:12. */
export function formatDateTime(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: HALL_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d)
  const get = (type) => parts.find((p) => p.type === type)?.value || ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`
}

/** Display name of an org record in the current language (falls back to the Chinese name). */
export function localName(rec) {
  if (!rec) return ''
  if (i18n.global.locale.value === 'en' && rec.name_en) return rec.name_en
  return rec.name || rec.name_en || ''
}
