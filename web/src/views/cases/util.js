// Shared bits of the case pages: status colours, due-date warnings, marks.
import { formatDateTime } from '../../format.js'

export const STATUS_TYPE = {
  received: 'info',
  waiting_materials: 'warning',
  processing: 'primary',
  referred: '',
  completed: 'success',
  refused: 'danger',
}
export const MARKS = ['provided', 'missing', 'defective', 'not_applicable']

/** 'none' | '50' | '80' | 'due' | 'overdue' from a case's progress (computed by the server on read). */
export function warningOf(c) {
  const p = c && c.progress
  if (!p) return ''
  if (p.overdue) return 'overdue'
  return p.warning
}
export const WARNING_TYPE = { none: 'success', 50: 'warning', 80: 'danger', due: 'danger', overdue: 'danger' }

export function when(iso) {
  return iso ? formatDateTime(iso).slice(0, 16) : ''
}
