// Helpers shared by the queue pages (student, status, console, kiosk, board).
import { ElMessageBox } from 'element-plus'
import { i18n, tOr } from '../../i18n/index.js'
import { HALL_TIME_ZONE, localName } from '../../format.js'

export const OPEN_STATUSES = ['waiting', 'called', 'serving']
export const OUTCOMES = ['done', 'needs_materials', 'referred', 'cannot_handle']

export function statusLabel(status) {
  return status ? tOr(`queue.status.${status}`, status) : ''
}

export function statusType(status) {
  return (
    { waiting: 'primary', called: 'warning', serving: 'success', done: 'info', no_show: 'danger', cancelled: 'info' }[
      status
    ] || 'info'
  )
}

/** Item name of a ticket in the current language. */
export function itemName(t) {
  if (!t) return ''
  if (i18n.global.locale.value === 'en' && t.item_name_en) return t.item_name_en
  return t.item_name || t.item_name_en || ''
}

/** HH:mm in the hall's zone. */
export function hhmm(iso, withSeconds = false) {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: HALL_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(d)
}

/** YYYY-MM-DD of a date in the hall's zone. */
export function hallDate(d = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: HALL_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

/** Minutes since iso (≥ 0), or null. */
export function minutesSince(iso, now = Date.now()) {
  if (!iso) return null
  const t = new Date(iso).getTime()
  if (Number.isNaN(t)) return null
  return Math.max(0, Math.floor((now - t) / 60000))
}

/** mm:ss elapsed since iso. */
export function elapsed(iso, now = Date.now()) {
  if (!iso) return ''
  const s = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000))
  const m = Math.floor(s / 60)
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
}

/** "3 号窗口、5 号窗口" from a windows list. */
export function windowsText(windows) {
  const t = i18n.global.t
  return (windows || [])
    .map((w) => t('queue.windowN', { n: w.number ?? w }))
    .join(i18n.global.locale.value === 'en' ? ', ' : '、')
}

/** Group catalog items by unit: [{ unit, items }] in listing order. */
export function groupByUnit(items) {
  const groups = []
  const byId = new Map()
  for (const it of items) {
    const key = it.unit ? it.unit.id : 0
    if (!byId.has(key)) {
      const g = { key, unit: it.unit || { id: 0, name: '' }, items: [] }
      byId.set(key, g)
      groups.push(g)
    }
    byId.get(key).items.push(it)
  }
  return groups
}

/** Catalog items one can queue for in a hall: served at a window of that hall (any hall if hallId is empty). */
export function queueableItems(items, hallId) {
  return items.filter((it) => {
    const ws = (it.windows || []).filter((w) => !hallId || String(w.hall_id) === String(hallId))
    return ws.length > 0 && it.handling_mode !== 'online'
  })
}

export { localName }

/** Every page of the public catalog (it caps page_size at 200). */
export async function fetchCatalog(get) {
  const items = []
  for (let page = 1; page <= 20; page++) {
    const res = await get('/public/catalog', { page, page_size: 200 })
    const batch = (res && res.items) || []
    items.push(...batch)
    if (batch.length < 200 || items.length >= (res.total ?? items.length)) break
  }
  return items
}

/** A known refusal code's explanation, else the server's own message. */
export function refusalText(e) {
  if (!e) return ''
  const t = i18n.global.t
  if (e.code === 'network_error') return t('common.networkError')
  return e.message || tOr(`queue.refusal.${e.code}`, t('common.requestFailed'))
}

export function refusalHint(e) {
  return e && e.code ? tOr(`queue.refusalHint.${e.code}`, '') : ''
}

/** Vibrate if the device can (phones). */
export function buzz(pattern = [300, 120, 300, 120, 600]) {
  try {
    if (navigator.vibrate) navigator.vibrate(pattern)
  } catch {
    /* not supported */
  }
}

/** Ask the student to confirm taking a number for `item` (the phone pages): true when confirmed. */
export async function confirmTake(item) {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(t('queue.take.confirm', { name: localName(item) }), t('queue.take.confirmTitle'), {
      confirmButtonText: t('queue.take.takeBtn'),
      cancelButtonText: t('common.cancel'),
      type: 'info',
      center: true,
    })
    return true
  } catch {
    return false
  }
}
