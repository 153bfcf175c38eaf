// Accessibility (WCAG 2.1 AA, GB/T 37668-2019; students with disabilities are the first
// users of the green channel, B6.5): axe-core on every route of the web UI, as the
// person who uses it, with 0 violations of impact serious or critical.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from '../lib/harness.mjs'
import { HALL_ID } from '../lib/hall.mjs'
import { assert, USERS, login, apiFromPage } from '../lib/helpers.mjs'
import { axeViolations, formatViolations, nodeCount, openSettled } from '../lib/a11y.mjs'

const VIEWS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web', 'src', 'views')

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
export const DESKTOP = { viewport: { width: 1366, height: 800 } }
export const SCREEN = { viewport: { width: 1920, height: 1080 } } // the kiosk and the board
export const TOKENS = {
  kiosk: 'demo-kiosk-token-0001-hall-main',
  board: 'demo-board-token-0001-hall-main',
  rating_pad: 'demo-ratingpad-token-0001-window1',
}

// Every route of web/src/views/*/routes.js, who opens it and how its parameters are
// found (`p` reads ids through the API as that person). Redirect-only routes are listed
// with `redirect` and checked where they lead.
const first = (r) => ((r.json && (r.json.items || r.json)) || [])[0]
const PAGES = [
  // anonymous, on a phone
  { route: '/login', as: 'anon' },
  { route: '/services', as: 'anon' },
  { route: '/services/:id(\\d+)', as: 'anon', p: async (pg) => `/services/${first(await apiFromPage(pg, 'GET', '/public/catalog?page_size=1')).id}` },
  { route: '/announcements', as: 'anon' },
  { route: '/announcements/:id(\\d+)', as: 'anon', p: async (pg) => `/announcements/${first(await apiFromPage(pg, 'GET', '/public/announcements?page_size=1')).id}` },
  { route: '/hall/hours', as: 'anon' },
  { route: '/hall/windows', as: 'anon' },
  { route: '/feedback/new', as: 'anon' },
  { route: '/feedback/track', as: 'anon' },
  { route: '/stats', as: 'anon' },
  { route: '/verify', as: 'anon' },
  { route: '/verify/:code', as: 'anon', p: async (pg, ids) => `/verify/${ids.documentCode}` },
  { route: '/t/:token', as: 'anon', p: async (pg, ids) => `/t/${ids.ticketToken}` },
  { route: '/print/ticket/:token', as: 'anon', p: async (pg, ids) => `/print/ticket/${ids.ticketToken}` },
  // the student, on a phone
  { route: '/', as: 'student' },
  { route: '/queue', as: 'student', redirect: true },
  { route: '/queue/take', as: 'student' },
  { route: '/queue/mine', as: 'student' },
  { route: '/queue/appointments', as: 'student' },
  { route: '/cases/mine', as: 'student' },
  { route: '/cases/mine/:id(\\d+)', as: 'student', p: async (pg) => `/cases/mine/${first(await apiFromPage(pg, 'GET', '/my/cases')).id}` },
  { route: '/documents/mine', as: 'student' },
  { route: '/my/feedback', as: 'student' },
  { route: '/account/password', as: 'student' },
  // window staff (staff01) at a desktop
  { route: '/', as: 'staff' },
  { route: '/queue/console', as: 'staff' },
  { route: '/queue/console/:windowId(\\d+)', as: 'staff', p: async (pg, ids) => `/queue/console/${ids.window1}` },
  { route: '/cases/desk', as: 'staff' },
  { route: '/cases/:id(\\d+)', as: 'staff', p: async (pg) => `/cases/${first(await apiFromPage(pg, 'GET', '/cases?page_size=1')).id}` },
  { route: '/catalog', as: 'staff' },
  { route: '/catalog/items/new', as: 'staff' },
  { route: '/catalog/items/:id', as: 'staff', p: async (pg) => `/catalog/items/${first(await apiFromPage(pg, 'GET', '/catalog/items?page_size=1')).id}` },
  { route: '/courtesy/phrases', as: 'staff' },
  { route: '/feedback/desk', as: 'staff' },
  { route: '/my/ratings', as: 'staff' },
  { route: '/staff/stats', as: 'staff' },
  { route: '/documents', as: 'staff' },
  // the responsible teacher
  { route: '/', as: 'teacher' },
  { route: '/cases/oversight', as: 'teacher' },
  { route: '/feedback/oversight', as: 'teacher' },
  { route: '/courtesy/attempts', as: 'teacher' },
  { route: '/admin/announcements', as: 'teacher' },
  // the administrator
  { route: '/', as: 'admin' },
  { route: '/admin', as: 'admin', redirect: true },
  { route: '/admin/people', as: 'admin' },
  { route: '/admin/roles', as: 'admin' },
  { route: '/admin/halls', as: 'admin' },
  { route: '/admin/windows', as: 'admin' },
  { route: '/admin/units', as: 'admin' },
  { route: '/admin/colleges', as: 'admin' },
  { route: '/admin/devices', as: 'admin' },
  { route: '/admin/audit', as: 'admin' },
  { route: '/admin/calendar', as: 'admin' },
  // the hall's devices, before and after their token is set up
  { route: '/kiosk', as: 'device-new' },
  { route: '/board', as: 'device-new' },
  { route: '/pad', as: 'device-new' },
  { route: '/kiosk', as: 'device' },
  { route: '/board/:hallId(\\d+)', as: 'device', p: async () => `/board/${HALL_ID}` },
  { route: '/pad', as: 'device' },
]

const ROLES = {
  anon: { device: PHONE },
  // a student who has a case (the demo's cases belong to a few students; all share one password)
  student: { device: PHONE, user: (ids) => ({ login: ids.caseStudentNo, password: USERS.student.password }) },
  staff: { device: DESKTOP, user: USERS.staff },
  teacher: { device: DESKTOP, user: USERS.teacher },
  admin: { device: DESKTOP, user: USERS.admin },
  'device-new': { device: SCREEN },
  device: { device: SCREEN, tokens: true },
}

/** The routes declared in web/src/views/*\/routes.js. */
function declaredRoutes() {
  const out = new Set()
  for (const dir of readdirSync(VIEWS)) {
    const f = join(VIEWS, dir, 'routes.js')
    if (!existsSync(f)) continue
    for (const m of readFileSync(f, 'utf8').matchAll(/\bpath:\s*'([^']+)'/g)) out.add(m[1].replace(/\\\\/g, '\\'))
  }
  return out
}

test('every route of the web UI is in the accessibility check', async () => {
  const listed = new Set(PAGES.map((p) => p.route))
  const missing = [...declaredRoutes()].filter((r) => !listed.has(r))
  assert.deepEqual(missing, [], `routes not checked for accessibility: ${missing.join(', ')}`)
})

/** Ids the parameterised pages need, read through the API as staff01. */
async function demoIds(browser, baseURL) {
  const ctx = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  await login(page, USERS.staff)
  const windows = await apiFromPage(page, 'GET', `/windows?hall_id=${HALL_ID}`)
  const window1 = ((windows.json && (windows.json.items || windows.json)) || []).find((w) => Number(w.number) === 1)
  assert.ok(window1, 'window 1 of the demo hall')
  // A ticket of the demo history (today's queue may still be empty): the last 14 days.
  let ticket = null
  for (let back = 0; back < 14 && !ticket; back++) {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - back * 86_400_000))
    const tickets = await apiFromPage(page, 'GET', `/tickets?date=${day}&page_size=20`)
    ticket = ((tickets.json && tickets.json.items) || []).find((t) => t.status_token)
  }
  assert.ok(ticket, 'a demo ticket with a status page')
  const docs = await apiFromPage(page, 'GET', '/documents?page_size=1')
  const doc = first(docs)
  assert.ok(doc && doc.code, `a demo document with a verification code (${docs.status})`)
  const cases = await apiFromPage(page, 'GET', '/cases?page_size=50')
  const withStudent = ((cases.json && cases.json.items) || []).find((c) => c.student && c.student.student_no)
  assert.ok(withStudent, 'a demo case of a student')
  await ctx.close()
  return { window1: window1.id, ticketToken: ticket.status_token, documentCode: doc.code, caseStudentNo: withStudent.student.student_no }
}

async function newRoleContext(browser, baseURL, role, ids) {
  const r = ROLES[role]
  const ctx = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...r.device })
  ctx.setDefaultTimeout(15_000)
  if (r.tokens) {
    await ctx.addInitScript((tokens) => {
      for (const [kind, token] of Object.entries(tokens)) localStorage.setItem(`hall.device.${kind}.token`, token)
    }, TOKENS)
  }
  const page = await ctx.newPage()
  if (r.user) await login(page, typeof r.user === 'function' ? r.user(ids) : r.user)
  return { ctx, page }
}

/** Visit every page of one role; give back the per-page counts and all violations. */
async function auditRole(browser, baseURL, role, ids) {
  const { ctx, page } = await newRoleContext(browser, baseURL, role, ids)
  const all = []
  try {
    for (const entry of PAGES.filter((p) => p.as === role)) {
      const path = entry.p ? await entry.p(page, ids) : entry.route
      await openSettled(page, path)
      const here = new URL(page.url()).pathname
      if (!entry.redirect) assert.equal(here, path, `${role} stays on ${path} (not sent to ${here})`)
      assert.equal(await page.locator('[data-test="forbidden"]').count(), 0, `${role} may open ${path}`)
      const v = await axeViolations(page)
      const rules = v.map((x) => `${x.id}×${x.targets.length}`).join(' ')
      console.log(`  # a11y ${role.padEnd(10)} ${entry.route.padEnd(30)} ${String(nodeCount(v)).padStart(4)}  ${rules}`)
      all.push(...v)
    }
  } finally {
    await ctx.close()
  }
  return all
}

let idsPromise = null
for (const role of Object.keys(ROLES)) {
  test(
    `axe-core: no serious or critical WCAG 2.1 AA violation on the ${role} pages`,
    async ({ context, baseURL }) => {
      const browser = context.browser()
      idsPromise = idsPromise || demoIds(browser, baseURL)
      const ids = await idsPromise
      const violations = await auditRole(browser, baseURL, role, ids)
      assert.equal(
        violations.length,
        0,
        `${nodeCount(violations)} serious/critical violations on the ${role} pages:\n${formatViolations(violations)}`,
      )
    },
    { timeout: 180_000 },
  )
}
