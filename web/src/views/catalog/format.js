// Display rules shared by the staff and public catalog pages.
import { i18n } from '../../i18n/index.js'
import { localName } from '../../format.js'

const t = (...a) => i18n.global.t(...a)

/** B6.3: 即办 / N 个工作日. */
export function timeLimitText(days) {
  return !days ? t('catalog.immediate') : t('catalog.workingDays', { n: days })
}

/** ¥10.00 / 免费 (amounts are kept in fen). */
export function feeText(fen) {
  if (!fen) return t('catalog.free')
  return `¥${(fen / 100).toFixed(2)}`
}

export function modeText(mode) {
  return t(`catalog.modes.${mode || 'on_site'}`)
}

export function itemName(item) {
  return localName(item)
}

export function windowsText(windows) {
  return (windows || []).map((w) => `${w.number}`).join('、')
}
