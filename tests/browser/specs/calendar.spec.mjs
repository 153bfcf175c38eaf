// Working-day calendar and announcements: the public hours/closures page, an
// administrator adding a closure in the UI, which window serves what, and the
// public announcements (B6.4, no login).
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

test('the public hours page shows the opening hours and a closure, without signing in', async ({ page }) => {
  await page.goto('/hall/hours')
  const weekly = byTest(page, 'weekly-hours')
  await weekly.waitFor({ state: 'visible' })
  // Default hours: Mon–Fri 08:00–12:00 and 14:30–17:30, summer 15:00–18:00.
  const monday = await visibleText(byTest(page, 'hours-mon'))
  assert.match(monday, /08:00 – 12:00/)
  assert.match(monday, /14:30 – 17:30/)
  assert.match(monday, /15:00 – 18:00/)
  await eventually(async () => assert.match(await visibleText(byTest(page, 'hours-sun')), /不开放/))
  // The demo hall's coming closures.
  const closures = await visibleText(byTest(page, 'closure-list'))
  assert.match(closures, /2027年寒假/)
  assert.match(closures, /2027-01-16 ~ 2027-02-28/)
  // The month calendar is there, and a login link (no session).
  await byTest(page, 'calendar-legend').waitFor()
  assert.equal(await page.locator('a[href="/login"]').count(), 1)
})

test('the month calendar colours Spring Festival 2026 and the adjusted Saturday', async ({ page }) => {
  await page.goto('/hall/hours')
  const label = byTest(page, 'month-label')
  await label.waitFor()
  // Walk to February 2026 from whatever month it is now.
  for (let i = 0; i < 60 && (await label.innerText()) !== '2026-02'; i++) {
    const [y, m] = (await label.innerText()).split('-').map(Number)
    await byTest(page, y * 12 + m > 2026 * 12 + 2 ? 'month-prev' : 'month-next').click()
  }
  await byTest(page, 'day-2026-02-17').waitFor()
  assert.equal(await byTest(page, 'day-2026-02-17').getAttribute('data-reason'), 'holiday')
  assert.equal(await byTest(page, 'day-2026-02-14').getAttribute('data-reason'), 'adjusted_workday')
  assert.equal(await byTest(page, 'day-2026-02-16').getAttribute('title'), '2026-02-16 节假日 · 春节')
})

test('an administrator adds a closure in the UI and it appears on the public page', async ({ page }) => {
  await login(page, USERS.admin)
  await page.goto('/admin/calendar')
  await byTest(page, 'calendar-admin-page').waitFor()
  await page.locator('#tab-closures').click()
  await byTest(page, 'closures-table').waitFor({ state: 'visible' })

  // A free day in a future year, and a unique name.
  const existing = await apiFromPage(page, 'GET', '/calendar/closures?hall=1')
  const taken = existing.json.items.map((c) => [c.first, c.last])
  let date
  do {
    const y = 2030 + Math.floor(Math.random() * 60)
    const d = 1 + Math.floor(Math.random() * 28)
    date = `${y}-03-${String(d).padStart(2, '0')}`
  } while (taken.some(([f, l]) => f <= date && date <= l))
  const name = `E2E闭厅-${Date.now().toString(36)}`

  await byTest(page, 'closure-add').click()
  await field(page, 'closure-name').fill(name)
  await field(page, 'closure-first').fill(date)
  await field(page, 'closure-last').fill(date)
  await byTest(page, 'closure-save').click()
  const row = byTest(page, 'closures-table').locator('.el-table__row', { hasText: name })
  await row.waitFor({ state: 'visible' })
  assert.match(await row.innerText(), new RegExp(date))

  // The server has it, audited; the public page lists it.
  const after = await apiFromPage(page, 'GET', '/calendar/closures?hall=1')
  assert.ok(after.json.items.some((c) => c.name === name && c.first === date))
  await page.goto('/hall/hours')
  await eventually(async () => assert.match(await visibleText(byTest(page, 'closure-list')), new RegExp(name)))

  // A closure ending before it starts is refused with the field named.
  await page.goto('/admin/calendar')
  await page.locator('#tab-closures').click()
  await byTest(page, 'closure-add').click()
  await field(page, 'closure-name').fill(`${name}-bad`)
  await field(page, 'closure-first').fill('2031-05-10')
  await field(page, 'closure-last').fill('2031-05-01')
  await byTest(page, 'closure-save').click()
  await page.locator('.el-form-item__error', { hasText: '结束日期早于开始日期' }).waitFor()

  // Tidy up.
  const id = after.json.items.find((c) => c.name === name).id
  assert.equal((await apiFromPage(page, 'DELETE', `/calendar/closures/${id}`)).status, 204)
})

test('a student may read the calendar but not change it', async ({ page }) => {
  await login(page, USERS.student)
  assert.equal(await byTest(page, 'feature-admin-calendar').count(), 0)
  assert.equal(await byTest(page, 'feature-hall-hours').count(), 1)
  const res = await apiFromPage(page, 'POST', '/calendar/closures', { hall_id: 1, first: '2031-01-01', last: '2031-01-02', name: 'x' })
  assert.equal(res.status, 403)
})

test('which window serves what: windows with their units, no login', async ({ page }) => {
  await page.goto('/hall/windows')
  const list = byTest(page, 'window-list')
  await byTest(page, 'window-1').waitFor()
  await eventually(async () => assert.match(await visibleText(byTest(page, 'window-1')), /教务处/))
  await eventually(async () => assert.match(await visibleText(byTest(page, 'window-10')), /投诉与建议/))
  assert.ok((await list.locator('.window').count()) >= 10)
  // With the public catalog present, each window lists the items it serves.
  const catalog = await apiFromPage(page, 'GET', '/public/catalog?page_size=200')
  const atWindow1 = catalog.status === 200 ? catalog.json.items.filter((i) => (i.windows || []).some((w) => w.number === 1)) : []
  if (atWindow1.length) {
    await byTest(page, 'window-1').locator('a', { hasText: atWindow1[0].name }).waitFor()
  }
})

test('public announcements: pinned first, detail rendered, drafts hidden', async ({ page }) => {
  await page.goto('/announcements')
  const first = byTest(page, 'announcement-item').first()
  await first.waitFor()
  assert.match(await first.innerText(), /2027年寒假大厅开放安排/)
  assert.doesNotMatch(await visibleText(byTest(page, 'announcement-list')), /草稿/)
  await first.click()
  await page.waitForURL(/\/announcements\/\d+$/)
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'announcement-title')), '2027年寒假大厅开放安排'))
  assert.equal(await byTest(page, 'announcement-body').locator('strong', { hasText: '闭厅时间' }).count(), 1)
  await page.goto('/announcements/999999')
  await byTest(page, 'announcement-missing').waitFor()
})

test('the responsible teacher publishes an announcement; HTML in it stays text', async ({ page }) => {
  await login(page, USERS.teacher)
  await page.goto('/admin/announcements')
  await byTest(page, 'announcements-table').waitFor()
  const title = `E2E公告-${Date.now().toString(36)}`
  await byTest(page, 'announcement-create').click()
  await field(page, 'announcement-title-input').fill(title)
  await field(page, 'announcement-body-input').fill('**重要**\n\n<img src=x onerror="window.__pwned=1">')
  await byTest(page, 'announcement-published').click()
  await byTest(page, 'announcement-save').click()
  await byTest(page, 'announcements-table').locator('.el-table__row', { hasText: title }).waitFor()

  await page.goto('/announcements')
  await byTest(page, 'announcement-item').filter({ hasText: title }).click()
  const body = byTest(page, 'announcement-body')
  await body.locator('strong').waitFor()
  assert.match(await body.innerText(), /<img src=x/)
  assert.equal(await body.locator('img').count(), 0)
  assert.equal(await page.evaluate(() => window.__pwned), undefined)
})

// Issue #10: from 60 days before the official holiday data runs out (the demo
// data ends 2026-12-31, so from 2026-11-01), the administrator and the teacher
// are asked on their home page to import next year's schedule; staff are not.
test('the administrator and the teacher are asked to import next year’s holiday schedule', async ({ page }) => {
  await login(page, USERS.admin)
  const status = await apiFromPage(page, 'GET', '/calendar/status')
  assert.equal(status.status, 200, 'GET /calendar/status')
  const st = status.json
  const banner = byTest(page, 'calendar-import-banner')
  if (!st.import_due) {
    // Far from the end of the data: no banner (checked, then nothing more to see).
    await byTest(page, 'home-features').waitFor()
    assert.equal(await banner.count(), 0)
    return
  }
  const text = await visibleText(banner)
  assert.match(text, new RegExp(`${st.import_year} 年节假日安排`))
  if (st.covered_through) assert.ok(text.includes(st.covered_through), text)
  assert.match(text, /暂定/)
  // The link leads to calendar administration.
  await byTest(page, 'calendar-import-link').click()
  await byTest(page, 'calendar-admin-page').waitFor()

  // In English too.
  await page.evaluate(() => localStorage.setItem('hall.lang', 'en'))
  await page.goto('/')
  const en = await visibleText(byTest(page, 'calendar-import-banner'))
  assert.match(en, new RegExp(`${st.import_year} holiday schedule`))

  // The teacher sees it on the home page and on the case oversight page.
  await page.context().clearCookies()
  await page.evaluate(() => localStorage.removeItem('hall.lang'))
  await login(page, USERS.teacher)
  assert.match(await visibleText(byTest(page, 'calendar-import-banner')), /节假日安排/)
  await page.goto('/cases/oversight')
  await byTest(page, 'case-oversight').waitFor()
  assert.match(await visibleText(byTest(page, 'calendar-import-banner')), /节假日安排/)

  // A window staff member is not asked.
  await page.context().clearCookies()
  await login(page, USERS.staff)
  await byTest(page, 'home-features').waitFor()
  assert.equal(await byTest(page, 'calendar-import-banner').count(), 0)
})
