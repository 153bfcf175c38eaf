// Accessibility fixes for Element Plus parts that the pages cannot reach through props
// (WCAG 2.1 AA, GB/T 37668-2019; tested by tests/browser/specs/a11y.spec.mjs):
// the page-size picker inside <el-pagination layout="sizes"> renders a combobox with no
// label (WCAG 1.3.1 / 4.1.2). One observer names every such picker, wherever it appears,
// in the UI's language.
import { watch } from 'vue'
import { i18n } from './i18n/index.js'

const PICKERS = '.el-pagination__sizes input[role="combobox"]'

function nameAll(root, all = false) {
  if (!root.querySelectorAll) return
  const label = i18n.global.t('common.pageSize')
  for (const el of root.querySelectorAll(all ? PICKERS : `${PICKERS}:not([aria-label])`)) el.setAttribute('aria-label', label)
}

export function installA11yFixes() {
  nameAll(document)
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) nameAll(n)
  }).observe(document.body, { childList: true, subtree: true })
  watch(
    () => i18n.global.locale.value,
    () => nameAll(document, true),
  )
}
