import { onMounted, onBeforeUnmount } from 'vue'

function typingInField(e) {
  const el = e.target
  if (!el) return false
  const tag = el.tagName
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable
}

/**
 * Page keyboard shortcuts for staff tables:
 *   "/"  focus the search box      "n"  new record (when allowed)
 */
export function useHotkeys({ focusSearch, create } = {}) {
  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e)) return
    if (document.querySelector('.el-overlay:not([style*="display: none"]) .el-dialog')) return
    if (e.key === '/' && focusSearch) {
      e.preventDefault()
      focusSearch()
    } else if ((e.key === 'n' || e.key === 'N') && create) {
      e.preventDefault()
      create()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
