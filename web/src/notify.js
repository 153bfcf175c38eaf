import { ElMessage, ElMessageBox } from 'element-plus'
import { i18n } from './i18n/index.js'

/** Show an API error; the server's message is already in the user's language. */
export function showError(e) {
  if (!e || e.name === 'AbortError') return
  const t = i18n.global.t
  let message = e.message
  if (e.code === 'network_error') message = t('common.networkError')
  else if (e.code === 'bad_response' || !message) message = t('common.requestFailed')
  ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 5000 })
}

export function showSuccess(message) {
  ElMessage({ type: 'success', message, grouping: true })
}

/** Ask before a step that is hard to undo (disable, delete, a new token): true when confirmed. */
export async function confirmed(message, title = '') {
  const t = i18n.global.t
  try {
    await ElMessageBox.confirm(message, title, {
      type: 'warning',
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
    })
    return true
  } catch {
    return false
  }
}
