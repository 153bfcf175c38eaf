// Issue #11, items 1–8 and its closing paragraph: what a first morning in the hall showed
// students, staff, the teacher and the administrator. Each test fails on the code before
// the fix (its selector or its assertion did not hold).
import { test } from '../lib/harness.mjs'
import { HALL_ID, ensureHallOpen } from '../lib/hall.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

const KIOSK_TOKEN = 'demo-kiosk-token-0001-hall-main'
const HANDLER = { login: 'staff09', password: 'staff123' } // staffs window 10 (complaints)
const hallToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())

/** A signed-in page of its own (another person, beside the test's page). */
async function asUser(context, baseURL, user) {
  const other = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await other.newPage()
  await login(page, user)
  return { page, close: () => other.close() }
}

/** Pick the option whose text contains `text` in the Element Plus select marked data-test="id". */
async function choose(page, id, text) {
  await byTest(page, id).click()
  const option = page.locator('.el-select-dropdown__item:visible', { hasText: text }).first()
  await option.waitFor()
  await option.click()
}

// ---- 1. a complaint names the window and the person on duty (masked as on the board) ----------
test('1. a complaint names the window by number and the person on duty, masked', async ({ page, context, baseURL }) => {
  const staff = await asUser(context, baseURL, USERS.staff)
  const teacher = await asUser(context, baseURL, USERS.teacher)
  let win = null
  let openedHere = false
  try {
    const me = await apiFromPage(staff.page, 'GET', '/auth/me')
    const fullName = me.json.user.name
    const mine = await apiFromPage(staff.page, 'GET', '/windows/mine')
    assert.equal(mine.status, 200, 'the staff member lists the windows they may open')
    win = mine.json.items.find((w) => w.mine_now) || mine.json.items[0]
    if (!win.mine_now) {
      const opened = await apiFromPage(staff.page, 'POST', `/windows/${win.id}/session`, {})
      assert.equal(opened.status, 201, `signed in at window ${win.number}: ${JSON.stringify(opened.json)}`)
      openedHere = true
    }

    // An anonymous student on the public form.
    await page.goto('/feedback/new')
    await byTest(page, 'feedback-window').waitFor()
    await byTest(page, 'feedback-window').click()
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^${win.number} 号窗口`) }).first()
    await option.waitFor()
    const label = (await option.innerText()).trim()
    assert.ok(!label.includes(fullName), `the full name never shows (${label})`)
    assert.match(label, /\*/, `the person on duty is masked (${label})`)
    await option.click()
    await byTest(page, 'feedback-window-unit').waitFor()
    await page.locator('[data-test="feedback-person"]').click()
    const text = `E2E-窗口投诉-${Date.now().toString(36)}`
    await field(page, 'feedback-content').fill(text)
    await field(page, 'feedback-contact-phone').fill('13900003333')
    await byTest(page, 'feedback-submit').click()
    const no = await visibleText(byTest(page, 'feedback-tracking-no'))

    // The teacher sees the window, its unit and the person: the statistics by window and unit fill.
    const list = await apiFromPage(teacher.page, 'GET', '/feedback?page_size=100')
    const item = list.json.items.find((x) => x.tracking_no === no)
    assert.ok(item, 'the complaint is on the desk')
    assert.equal(item.target.window_number, win.number)
    assert.equal(item.target.unit_id, win.unit_id)
    assert.equal(item.target.staff_id, me.json.user.id)
    assert.ok(!(await page.content()).includes(fullName))
  } finally {
    if (openedHere) await apiFromPage(staff.page, 'DELETE', `/windows/${win.id}/session`)
    await staff.close()
    await teacher.close()
  }
})

test('1. the signed-in student may name a resident unit instead of a window', async ({ page, context, baseURL }) => {
  await login(page, USERS.student)
  await page.goto('/feedback/new')
  await choose(page, 'feedback-unit', '财务处')
  await field(page, 'feedback-content').fill(`E2E-单位建议-${Date.now().toString(36)}`)
  await byTest(page, 'feedback-submit').click()
  const no = await visibleText(byTest(page, 'feedback-tracking-no'))
  const teacher = await asUser(context, baseURL, USERS.teacher)
  try {
    const list = await apiFromPage(teacher.page, 'GET', '/feedback?page_size=100')
    const item = list.json.items.find((x) => x.tracking_no === no)
    assert.ok(item, 'on the desk')
    assert.equal(item.target.unit_name, '财务处')
    assert.equal(item.target.window_id, null)
  } finally {
    await teacher.close()
  }
})

// ---- 2. the audit log is readable ----------------------------------------------------------------
test('2. the audit log shows names, a readable summary and links, in the UI language', async ({ page }) => {
  await login(page, USERS.admin)
  const me = await apiFromPage(page, 'GET', '/auth/me')
  // A record with a before/after summary: a closure far ahead (removed at the end).
  const name = `E2E审计-${Date.now().toString(36)}`
  const added = await apiFromPage(page, 'POST', '/calendar/closures', { hall_id: HALL_ID, first: '2026-12-31', last: '2026-12-31', name })
  assert.equal(added.status, 201, JSON.stringify(added.json))
  try {
    await page.goto('/admin/audit')
    await field(page, 'audit-action').fill('calendar.closure_added')
    await byTest(page, 'audit-search').click()
    const row = page.locator('[data-test="audit-table"] .el-table__body tr', { hasText: name }).first()
    await row.waitFor()
    assert.equal(await visibleText(row.locator('[data-test="audit-row-action"]')), '新增闭厅日')
    assert.equal(await visibleText(row.locator('[data-test="audit-row-target"]')), name, 'the closure by its name, not closure#id')
    assert.equal(await row.locator('a[data-test="audit-row-target"]').getAttribute('href'), '/admin/calendar')
    const summary = await visibleText(row.locator('[data-test="audit-row-summary"]'))
    assert.ok(!summary.includes('[object Object]') && !summary.startsWith('{'), `summary is text (${summary})`)
    assert.match(summary, /开始：2026-12-31/)
    const body = await page.locator('[data-test="audit-table"]').innerText()
    assert.ok(!body.includes('calendar.closure_added'), 'no raw action codes')

    // Sign-ins name the person and link to the people page.
    await field(page, 'audit-action').fill('auth.login')
    await byTest(page, 'audit-search').click()
    const login1 = page.locator('[data-test="audit-table"] .el-table__body tr').first()
    await eventually(async () => assert.equal(await visibleText(login1.locator('[data-test="audit-row-action"]')), '登录'))
    assert.equal(await visibleText(login1.locator('[data-test="audit-row-target"]')), me.json.user.name)

    // English: names and summary keys in English, half-width colons.
    await page.evaluate(() => localStorage.setItem('hall.lang', 'en'))
    await page.reload()
    await field(page, 'audit-action').fill('calendar.closure_added')
    await byTest(page, 'audit-search').click()
    const en = page.locator('[data-test="audit-table"] .el-table__body tr', { hasText: name }).first()
    await en.waitFor()
    assert.equal(await visibleText(en.locator('[data-test="audit-row-action"]')), 'Closure added')
    const enSummary = await visibleText(en.locator('[data-test="audit-row-summary"]'))
    assert.match(enSummary, /From: 2026-12-31/)
    assert.ok(!enSummary.includes('：'), `no full-width colons in English (${enSummary})`)
  } finally {
    await apiFromPage(page, 'DELETE', `/calendar/closures/${added.json.id}`)
  }
})

// ---- 3. one search everywhere: pinyin where students take a number ------------------------------
test('3. /queue/take finds 在读证明 by zdzm and zaidu, as /services does', async ({ page }) => {
  await login(page, USERS.student)
  await page.goto('/queue/take')
  await byTest(page, 'queue-take-page').waitFor()
  for (const q of ['zdzm', 'zaidu', '在读']) {
    await field(page, 'take-search').fill(q)
    await eventually(async () => {
      const text = await page.locator('.groups').innerText()
      assert.match(text, /在读证明/, `"${q}" finds 在读证明`)
    })
  }
  await field(page, 'take-search').fill('zzzzqqq')
  await byTest(page, 'queue-take-page').locator('.el-empty').waitFor()
  // The booking page's item picker searches the same way.
  await page.goto('/queue/appointments')
  const picker = page.locator('[data-test="appt-item"] input')
  await picker.click()
  await picker.fill('zdzm')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '在读证明' }).first().waitFor()
})

// ---- 4. take a number or book from a service item's page ----------------------------------------
test('4. 取号 on the item page: sign in, come back, take the number', async ({ page, context, baseURL }) => {
  const restore = await ensureHallOpen(context, baseURL)
  try {
    const res = await context.request.get('/api/v1/public/catalog?q=zdzm')
    const item = (await res.json()).items.find((x) => x.name === '在读证明')
    assert.ok(item, 'the demo has 在读证明')
    await page.goto(`/services/${item.id}`)
    await byTest(page, 'public-queue-actions').waitFor()
    assert.match(await visibleText(byTest(page, 'public-take')), /登录后取号/)
    await byTest(page, 'public-take').click()
    await page.waitForURL(/\/login/)
    await field(page, 'login-name').fill('2023001166')
    const pw = field(page, 'login-password')
    await pw.fill('student123')
    await pw.press('Enter')
    await page.waitForURL(new RegExp(`/services/${item.id}`))
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await box.locator('button', { hasText: '取号' }).click()
    await page.waitForURL(/\/t\//)
    // 预约 from the same page goes to the booking page of this item.
    await page.goto(`/services/${item.id}`)
    await byTest(page, 'public-book').click()
    await page.waitForURL((u) => u.pathname === '/queue/appointments' && u.searchParams.get('item') === String(item.id))
  } finally {
    await restore()
  }
})

// ---- 5. a closed hall is said on arrival, with the next opening ---------------------------------
test('5. closed today: /queue/take and the kiosk say so on arrival, with the next opening time', async ({ page, context, baseURL }) => {
  const admin = await asUser(context, baseURL, USERS.admin)
  const today = hallToday()
  const added = await apiFromPage(admin.page, 'POST', '/calendar/closures', { hall_id: HALL_ID, first: today, last: today, name: 'E2E 临时闭厅' })
  assert.equal(added.status, 201, JSON.stringify(added.json))
  try {
    const open = await (await context.request.get(`/api/v1/calendar/open-now?hall=${HALL_ID}`)).json()
    assert.equal(open.open, false)
    const next = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(open.next_opening),
    )
    await login(page, USERS.student)
    await page.goto('/queue/take')
    const banner = await visibleText(byTest(page, 'take-hall-closed'))
    assert.match(banner, new RegExp(`(明天|\\d+月\\d+日（周.）) ${next} 开放`), banner)
    const takeButton = page.locator('button[data-test^="take-"]').first()
    await takeButton.waitFor()
    assert.ok(await takeButton.isDisabled(), 'taking is off while closed')

    // The kiosk, set up with its token.
    await page.goto('/kiosk')
    await field(page, 'device-token-input').fill(KIOSK_TOKEN)
    await byTest(page, 'device-token-save').click()
    const k = await visibleText(byTest(page, 'kiosk-hall-closed'))
    assert.match(k, new RegExp(`${next} 开放`), k)
  } finally {
    await apiFromPage(admin.page, 'DELETE', `/calendar/closures/${added.json.id}`)
    await admin.close()
  }
})

// ---- 6. the teacher keeps the calendar -----------------------------------------------------------
test('6. the teacher opens calendar administration', async ({ page }) => {
  await login(page, USERS.teacher)
  await page.goto('/admin/calendar')
  await byTest(page, 'calendar-admin-page').waitFor()
  assert.equal(await byTest(page, 'forbidden').count(), 0)
})

// ---- 7. both deadlines, and which one is missed --------------------------------------------------
test('7. the complaint desk and the oversight page show both deadlines and which is missed', async ({ page }) => {
  const now = Date.now()
  const parse = (s) => new Date(`${s.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)[0].replace(' ', 'T')}+08:00`).getTime()
  async function check() {
    const rows = page.locator('[data-test="fb-deadlines"]')
    await rows.first().waitFor()
    const n = await rows.count()
    for (let i = 0; i < n; i++) {
      const r = rows.nth(i)
      const ack = await r.locator('[data-test="fb-ack-due"]').innerText()
      const answer = await r.locator('[data-test="fb-feedback-due"]').innerText()
      // "已逾期" only beside a deadline that has passed.
      if (ack.includes('已逾期')) assert.ok(parse(ack) < now, `ack marked missed: ${ack}`)
      if (answer.includes('已逾期')) assert.ok(parse(answer) < now, `answer marked missed: ${answer}`)
    }
    return n
  }
  await login(page, HANDLER)
  await page.goto('/feedback/desk')
  await byTest(page, 'desk-table').waitFor()
  assert.ok((await check()) > 0)
  await page.context().clearCookies()
  await login(page, USERS.teacher)
  await page.goto('/feedback/oversight')
  await byTest(page, 'overdue-table').waitFor()
  const overdue = page.locator('[data-test="overdue-table"] [data-test="fb-deadlines"]')
  await eventually(async () => assert.ok((await overdue.count()) > 0, 'the demo has overdue complaints'))
  await check()
  // Every overdue row names the deadline it missed.
  const n = await overdue.count()
  for (let i = 0; i < n; i++) assert.match(await overdue.nth(i).innerText(), /已逾期/)
})

// ---- 8. the console offers only the windows one may open -----------------------------------------
test('8. the console picker lists only my windows, with no failing requests', async ({ page }) => {
  const failed = []
  page.on('response', (r) => {
    if (r.url().includes('/api/') && r.status() === 403) failed.push(r.url())
  })
  await login(page, USERS.staff)
  const me = await apiFromPage(page, 'GET', '/auth/me')
  const windows = await apiFromPage(page, 'GET', '/windows?page_size=200')
  const all = (windows.json.items || windows.json).filter((w) => w.active !== false && w.hall_id === HALL_ID)
  const own = all.filter((w) => w.unit_id === me.json.user.staff.unit_id)
  await page.goto('/queue/console')
  await byTest(page, 'console-windows').waitFor()
  const buttons = page.locator('[data-test^="console-open-"]')
  await eventually(async () => assert.equal(await buttons.count(), own.length))
  for (const w of own) await byTest(page, `console-open-${w.number}`).waitFor()
  assert.deepEqual(failed, [], 'no 403 on the picker')

  // Another unit's window: no sign-in button, no "connecting", a clear message and a way back.
  const other = all.find((w) => w.unit_id !== me.json.user.staff.unit_id)
  await page.goto(`/queue/console/${other.id}`)
  await byTest(page, 'console-back').waitFor()
  assert.match(await visibleText(page.locator('.el-alert')), /只能进入本单位的窗口/)
  assert.equal(await byTest(page, 'console-open-session').count(), 0)
  assert.equal(await page.locator('[data-conn]').count(), 0)
})

// ---- also: /verify with no code; the public address warning ---------------------------------------
test('also: /verify with an empty code says what is needed', async ({ page }) => {
  await page.goto('/verify')
  await byTest(page, 'verify-submit').click()
  assert.match(await visibleText(byTest(page, 'verify-code-error')), /12 位验证码/)
})

test('also: the administrator is warned while public_base_url is unset', async ({ page }) => {
  await login(page, USERS.admin)
  const check = await apiFromPage(page, 'GET', '/documents/link-base')
  assert.equal(check.status, 200)
  if (check.json.configured) return // a server started with --public-base-url has nothing to warn about
  assert.match(await visibleText(byTest(page, 'public-url-warning')), /public_base_url/)
  await page.context().clearCookies()
  await login(page, USERS.teacher)
  assert.equal(await byTest(page, 'public-url-warning').count(), 0)
})
