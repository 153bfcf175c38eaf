// Accessibility checks (WCAG 2.1 AA; GB/T 37668-2019 asks the same) shared by the specs:
// axe-core (npm) runs inside the page and reports the rules a page breaks. The hall
// holds itself to 0 violations of impact "serious" or "critical" on every page.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { assert } from './helpers.mjs'

const require = createRequire(import.meta.url)
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

/** The WCAG 2.0 / 2.1 level A and AA rules (axe's tags). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
export const BLOCKING_IMPACTS = ['serious', 'critical']

/**
 * Run axe-core on the page as it is now and give back its violations of impact
 * serious or critical under the WCAG 2.1 A/AA rules, one entry per rule:
 * { id, impact, help, targets: [css selector…], page }.
 * `include` limits the check to part of the page (a CSS selector), e.g. an open dialog.
 */
export async function axeViolations(page, { include } = {}) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined').catch(() => false)
  if (!hasAxe) await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate(
    async ({ tags, include }) => {
      // Animations (Element Plus fades, transitions) would show half-faded colours to the
      // contrast rule: let them finish before looking.
      // Endless ones (spinners) are left alone; at most 2 s.
      const finite = document.getAnimations().filter((a) => {
        const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null
        return t && Number.isFinite(t.endTime)
      })
      await Promise.race([
        Promise.all(finite.map((a) => a.finished.catch(() => {}))),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ])
      return window.axe.run(include ? { include: [include] } : document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      })
    },
    { tags: WCAG_TAGS, include },
  )
  const path = new URL(page.url()).pathname
  return results.violations
    .filter((v) => BLOCKING_IMPACTS.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(' ')}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}`),
      page: path,
    }))
}

/** One readable line per node: "page  rule (impact) target — help". */
export function formatViolations(violations) {
  const lines = []
  for (const v of violations) {
    for (const t of v.targets) lines.push(`${v.page}  ${v.id} (${v.impact})  ${t}  — ${v.help}`)
  }
  return lines.join('\n')
}

/** Count of failing nodes over a list of violations. */
export const nodeCount = (violations) => violations.reduce((n, v) => n + v.targets.length, 0)

/** Assert the page has no serious or critical WCAG 2.1 A/AA violation; the message lists them. */
export async function expectAccessible(page, what = '', options = {}) {
  const violations = await axeViolations(page, options)
  assert.equal(
    violations.length,
    0,
    `${what || new URL(page.url()).pathname}: ${nodeCount(violations)} serious/critical accessibility violations\n${formatViolations(violations)}`,
  )
}

const isStream = (req) => new URL(req.url()).pathname.endsWith('/events')

/**
 * Open `path` and wait until the page has settled: no request of the page in flight
 * (event streams excepted) for `quiet` ms, no loading mask or skeleton shown, fonts
 * loaded. Waits on conditions only; gives up after `timeout` ms.
 */
export async function openSettled(page, path, { quiet = 300, timeout = 15_000 } = {}) {
  const inflight = new Set()
  let lastChange = Date.now()
  const add = (r) => {
    if (r.resourceType() === 'eventsource' || isStream(r)) return
    inflight.add(r)
    lastChange = Date.now()
  }
  const done = (r) => {
    if (inflight.delete(r)) lastChange = Date.now()
  }
  page.on('request', add)
  page.on('requestfinished', done)
  page.on('requestfailed', done)
  try {
    if (path) await page.goto(path)
    await page.waitForLoadState('load')
    const end = Date.now() + timeout
    for (;;) {
      const busy = await page.evaluate(
        () =>
          !!document.querySelector('.el-loading-mask, .el-skeleton') ||
          document.fonts.status !== 'loaded' ||
          !document.querySelector('#app > *'),
      )
      if (!busy && inflight.size === 0 && Date.now() - lastChange >= quiet) break
      if (Date.now() > end) break
      await page.waitForTimeout(50)
    }
  } finally {
    page.off('request', add)
    page.off('requestfinished', done)
    page.off('requestfailed', done)
  }
}

/**
 * Press Tab until the focused element matches `selector` (at most `max` presses) and
 * check that the focus can be seen there: an outline or a box shadow drawn by the page's
 * :focus-visible styles (WCAG 2.4.7). Gives back the locator of the focused element.
 */
export async function tabTo(page, selector, { max = 150, shift = false } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab')
    const hit = await page.evaluate((sel) => {
      const el = document.activeElement
      return !!(el && el !== document.body && el.matches(sel))
    }, selector)
    if (hit) {
      const ring = await focusRing(page)
      assert.ok(ring, `the keyboard focus on ${selector} is visible (outline or shadow)`)
      return page.locator(`${selector}:focus`)
    }
  }
  throw new Error(`Tab never reached ${selector} in ${max} presses`)
}

/** The focused element draws a visible focus indicator (outline ≥ 2px, or a box shadow). */
export async function focusRing(page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return false
    const s = getComputedStyle(el)
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
    const shadow = s.boxShadow && s.boxShadow !== 'none'
    return outline || shadow
  })
}

/**
 * Text that cannot be read at the current size: elements that hold text themselves and
 * cut it off (overflow hidden/clip or an ellipsis with content wider or taller than the
 * box), and the page scrolling sideways. Tables scroll inside their own frame and are
 * left out. Gives back { pageOverflow: px, clipped: [{ selector, text, over }] }.
 */
export async function clippedText(page, root = 'body') {
  return page.evaluate((root) => {
    const scope = document.querySelector(root) || document.body
    const out = []
    const visible = (el) => {
      const r = el.getBoundingClientRect()
      const s = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    const describe = (el) => {
      const bits = []
      for (let e = el; e && e !== document.body && bits.length < 4; e = e.parentElement) {
        const test = e.getAttribute('data-test')
        bits.unshift(test ? `[data-test="${test}"]` : e.tagName.toLowerCase() + (e.classList[0] ? `.${e.classList[0]}` : ''))
        if (test) break
      }
      return bits.join(' > ')
    }
    for (const el of scope.querySelectorAll('*')) {
      if (el.closest('.el-table, .sr-only, [aria-hidden="true"], svg, .el-popper, .el-select__selection, .el-input__wrapper')) continue
      const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
      if (!ownText || !visible(el)) continue
      const s = getComputedStyle(el)
      const clips = ['hidden', 'clip'].includes(s.overflowX) || ['hidden', 'clip'].includes(s.overflowY) || s.textOverflow === 'ellipsis'
      if (!clips) continue
      const overX = el.scrollWidth - el.clientWidth
      const overY = el.scrollHeight - el.clientHeight
      if (overX > 1 || overY > 1) out.push({ selector: describe(el), text: el.textContent.trim().slice(0, 40), over: Math.max(overX, overY) })
    }
    const pageOverflow = Math.max(0, document.documentElement.scrollWidth - window.innerWidth)
    return { pageOverflow, clipped: out }
  }, root)
}
