// The courtesy check (B1) for any staff screen that writes to a student:
//
//   const text = ref('')
//   const courtesy = useCourtesyCheck(text, { context: 'cases.notice' })
//   // courtesy.result.value: null | { ok, matches:[{phrase,start,end,text,suggestion}], suggestion, suggested_text }
//   async function send() { if (!(await courtesy.beforeSend())) return; … save … }
//
// Checks as the text changes (debounced; not recorded), and once more on send
// with attempt=true, which the server records as a blocked attempt when it fails.
// Offsets are JavaScript string indices (UTF-16 units), as the server gives them.
// The server checks again when the text is saved (courtesy::enforce): this only
// tells the writer early.
import { onBeforeUnmount, ref, watch } from 'vue'
import { api } from '../../api.js'
import { can } from '../../session.js'

export function useCourtesyCheck(text, { context = '', delay = 350 } = {}) {
  const result = ref(null)
  const checking = ref(false)
  let timer = null
  let seq = 0
  const enabled = () => can('courtesy.check')

  async function run(attempt) {
    const value = text.value || ''
    if (!enabled() || !value.trim()) {
      result.value = null
      return true
    }
    const mine = ++seq
    checking.value = true
    try {
      const res = await api.post('/courtesy/check', { text: value, context, attempt })
      if (mine === seq) result.value = res
      return res.ok
    } catch {
      // The check is advisory in the browser; the server enforces it on save.
      return true
    } finally {
      if (mine === seq) checking.value = false
    }
  }

  watch(text, () => {
    clearTimeout(timer)
    timer = setTimeout(() => run(false), delay)
  })
  onBeforeUnmount(() => clearTimeout(timer))

  /** Call before sending: true when the text may go; false (and recorded) when it is blocked. */
  async function beforeSend() {
    clearTimeout(timer)
    return run(true)
  }

  /** One-click replace: every matched part by its courteous wording (text must be writable). */
  function applySuggestion() {
    if (result.value && result.value.suggested_text) text.value = result.value.suggested_text
  }

  return { result, checking, beforeSend, applySuggestion, check: () => run(false) }
}

/** The text cut into plain and matched pieces, for highlighting: [{ text, match }]. */
export function segments(value, matches) {
  const out = []
  const spans = [...(matches || [])].sort((a, b) => a.start - b.start || b.end - a.end)
  let at = 0
  for (const m of spans) {
    if (m.end <= at) continue
    const start = Math.max(m.start, at)
    if (start > at) out.push({ text: value.slice(at, start), match: null })
    out.push({ text: value.slice(start, m.end), match: m })
    at = m.end
  }
  if (at < value.length) out.push({ text: value.slice(at), match: null })
  return out
}
