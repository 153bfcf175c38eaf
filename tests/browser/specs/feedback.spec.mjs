// Complaints and suggestions (C1–C3): a student complains in the portal, the
// complaints-window staff member takes it, investigates and answers it at the
// desk, and the student accepts the feedback; tracking by number and phone
// without login.
import { test } from '../lib/harness.mjs'
import { HALL_ID, ensureHallOpen } from '../lib/hall.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

const HANDLER = { login: 'staff09', password: 'staff123' } // 学生事务中心: staffs window 10

test('a complaint from the portal through feedback to acceptance', async ({ page }) => {
  const text = `E2E投诉-${Date.now().toString(36)}：窗口中午无人值守`
  await login(page, USERS.student)
  await page.goto('/feedback/new')
  await byTest(page, 'feedback-submit-page').waitFor()
  await field(page, 'feedback-content').fill(text)
  await byTest(page, 'feedback-submit').click()
  const no = await visibleText(byTest(page, 'feedback-tracking-no'))
  assert.match(no, /^T\d{8}-[2-9A-HJ-NP-Z]{10}$/)

  // The handler takes it at the desk, investigates and answers.
  await page.context().clearCookies()
  await login(page, HANDLER)
  await page.goto('/feedback/desk')
  await byTest(page, 'desk-table').waitFor()
  await page.locator('.el-table__row', { hasText: no }).click()
  await byTest(page, 'desk-detail').waitFor()
  await byTest(page, 'desk-assign').click()
  await byTest(page, 'desk-start').click()
  // The status changes when the server has answered: wait for it rather than read it at once.
  await page.waitForFunction(() => document.querySelector('[data-test="desk-detail-status"]')?.innerText.includes('调查处理中'))
  await eventually(async () => assert.match(await visibleText(byTest(page, 'desk-detail-status')), /调查处理中/))
  await field(page, 'desk-findings').fill('经调查，中午轮岗交接时窗口短暂空岗')
  await field(page, 'desk-handling').fill('已调整午间排班，确保窗口有人值守')
  await byTest(page, 'desk-answer').click()
  await page.waitForFunction(() => document.querySelector('[data-test="desk-detail-status"]')?.innerText.includes('已反馈'))

  // The student reads the feedback and accepts it.
  await page.context().clearCookies()
  await login(page, USERS.student)
  await page.goto('/my/feedback')
  const card = page.locator('[data-test="feedback-card"]', { hasText: no })
  await card.waitFor()
  await eventually(async () => assert.match(await visibleText(card.locator('[data-test="feedback-answer"]')), /调整午间排班/))
  await card.locator('[data-test="feedback-accept"]').click()
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('[data-test="feedback-card"]')].some((c) => c.innerText.includes(n) && c.innerText.includes('已办结')),
    no,
  )
})

test('tracking by number and phone without login; a wrong phone finds nothing', async ({ page }) => {
  await page.goto('/feedback/new')
  await field(page, 'feedback-content').fill('建议增加自助打印机')
  await page.locator('[data-test="feedback-kind"] label', { hasText: '建议' }).click()
  await field(page, 'feedback-contact-phone').fill('13912345678')
  await byTest(page, 'feedback-submit').click()
  const no = await visibleText(byTest(page, 'feedback-tracking-no'))
  assert.match(no, /^J/)
  await page.goto(`/feedback/track?no=${no}`)
  await field(page, 'track-phone').fill('13900000000')
  await byTest(page, 'track-submit').click()
  await eventually(async () => assert.match(await visibleText(byTest(page, 'track-error')), /未找到/))
  await field(page, 'track-phone').fill('13912345678')
  await byTest(page, 'track-submit').click()
  await eventually(async () => assert.match(await visibleText(byTest(page, 'feedback-status')), /已受理/))
})

// --- ratings (B5): the window's rating pad asks only after the service is finished ---

const PAD_TOKEN = 'demo-ratingpad-token-0001-window1' // the demo pad of window 1

/** POST with an Idempotency-Key from inside the page (cookie session + CSRF). */
async function postWithKey(page, path, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin' })
      const csrf = me.ok ? (await me.json()).csrf_token : ''
      const res = await fetch(`/api/v1${path}`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Idempotency-Key': `e2e-rate-${Date.now()}-${Math.random()}` },
        body: JSON.stringify(body),
      })
      return { status: res.status, json: await res.json().catch(() => null) }
    },
    { path, body },
  )
}

test('a rating at the pad after a finished ticket (the pad asks only once the service is finished)', async ({ page, context, baseURL }) => {
  const restore = await ensureHallOpen(context, baseURL)
  try {
    // An item served at window 1.
    const res = await context.request.get('/api/v1/public/catalog?page_size=200')
    const items = ((await res.json()).items || []).filter(
      (it) => !it.suspended && it.handling_mode !== 'online' && (it.windows || []).some((w) => Number(w.number) === 1 && Number(w.hall_id) === HALL_ID),
    )
    items.sort((a, b) => (a.periods || []).length - (b.periods || []).length)
    assert.ok(items.length, 'an item at window 1')
    const windowId = items[0].windows.find((w) => Number(w.number) === 1).id

    // The student takes a number on the phone (a student who holds no ticket yet).
    await login(page, { login: '2023001077', password: 'student123' })
    let mine = null
    for (const it of items) {
      const r = await postWithKey(page, '/tickets', { item_id: it.id })
      if (r.status === 201 || r.status === 200) {
        mine = r.json
        break
      }
    }
    assert.ok(mine, 'the student took a number')

    // The pad, set up with its device token, waits while the service is not finished.
    const padContext = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const pad = await padContext.newPage()
    await pad.goto('/pad')
    await field(pad, 'pad-token').fill(PAD_TOKEN)
    await byTest(pad, 'pad-token-save').click()
    await byTest(pad, 'pad-waiting').waitFor()

    // Staff at window 1 call, serve and finish until the student's ticket is done.
    const staffContext = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const staff = await staffContext.newPage()
    await login(staff, USERS.staff)
    await apiFromPage(staff, 'POST', `/windows/${windowId}/session`, {})
    let finished = false
    for (let i = 0; i < 30 && !finished; i++) {
      const called = await apiFromPage(staff, 'POST', `/windows/${windowId}/call-next`, {})
      let current = called.json
      if (called.status === 409) {
        // A ticket already in progress at the window: finish it first.
        const list = await apiFromPage(staff, 'GET', `/tickets?window_id=${windowId}&page_size=50`)
        current = ((list.json && list.json.items) || []).find((x) => x.status === 'called' || x.status === 'serving')
      }
      assert.ok(current && current.id, `call-next answered ${called.status}`)
      if (current.status === 'called') await apiFromPage(staff, 'POST', `/tickets/${current.id}/start`, {})
      if (current.id === mine.id) {
        // Still being served: the pad does not ask for it yet.
        await pad.waitForTimeout(3500)
        if (await byTest(pad, 'pad-rate').count()) assert.doesNotMatch(await byTest(pad, 'pad-ticket').innerText(), new RegExp(mine.number))
      }
      const fin = await apiFromPage(staff, 'POST', `/tickets/${current.id}/finish`, { outcome: 'done' })
      assert.equal(fin.status, 200, `finish ${JSON.stringify(fin.json)}`)
      finished = current.id === mine.id
    }
    assert.ok(finished, "the student's ticket was finished at window 1")

    // Now the pad asks (for the newest finished service at its window); the student rates 非常满意 with a tag.
    await pad.reload()
    await byTest(pad, 'pad-rate').waitFor({ timeout: 15_000 })
    await eventually(async () => assert.match(await visibleText(byTest(pad, 'pad-ticket')), new RegExp(mine.number)))
    await byTest(pad, 'pad-level-1').click()
    await pad.locator('.tags label', { hasText: '服务态度' }).click()
    await byTest(pad, 'pad-submit').click()
    await byTest(pad, 'pad-thanks').waitFor()
    // Rated once: the portal no longer offers it.
    const ratable = await apiFromPage(page, 'GET', '/my/ratable')
    assert.ok(!ratable.json.some((x) => x.ticket_id === mine.id))
    await padContext.close()
    await staffContext.close()
  } finally {
    await restore()
  }
})

// --- ratings (B5): a completed case is rated in the portal, once, by its own student ---

test('a student rates a completed case in the portal (phone-sized screen); the list of the handler names neither the case nor the student', async ({ page, context, baseURL }) => {
  const STUDENT = { login: '2023001088', password: 'student123' } // no other service of theirs to rate
  // staff01 receives a walk-in case of the student, checks the materials, accepts and completes it.
  const staffContext = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const staff = await staffContext.newPage()
  await login(staff, USERS.staff)
  const catalog = await apiFromPage(staff, 'GET', '/public/catalog?page_size=200')
  const item = ((catalog.json && catalog.json.items) || []).find((it) => it.code === 'JWC-001')
  assert.ok(item, 'item JWC-001 in the catalog')
  const opened = await apiFromPage(staff, 'POST', '/cases', {
    channel: 'walk_in',
    student_no: STUDENT.login,
    item_id: item.id,
    summary: 'E2E 开具在读证明',
  })
  assert.equal(opened.status, 201, JSON.stringify(opened.json))
  const kase = opened.json
  const marks = kase.materials.map((m) => ({ material_id: m.material_id, mark: m.required ? 'provided' : 'not_applicable' }))
  assert.equal((await apiFromPage(staff, 'PUT', `/cases/${kase.id}/materials`, { marks })).status, 200)
  assert.equal((await apiFromPage(staff, 'POST', `/cases/${kase.id}/accept`, {})).status, 200)
  const done = await apiFromPage(staff, 'POST', `/cases/${kase.id}/complete`, { result_note: '在读证明已开具，请到 1 号窗口领取。' })
  assert.equal(done.status, 200, JSON.stringify(done.json))

  // The student, on a phone, finds the case among the services to rate and rates it 满意.
  await page.setViewportSize({ width: 390, height: 844 })
  await login(page, STUDENT)
  await page.goto('/my/feedback')
  const row = page.locator('[data-test="ratable-item"][data-target="case"]', { hasText: kase.case_no })
  await row.waitFor()
  await eventually(async () => assert.match(await visibleText(row), /办件/))
  await eventually(async () => assert.match(await visibleText(row), /李娟/)) // the handler
  await row.locator('label', { hasText: /^满意$/ }).click()
  await row.locator('[data-test="rate-submit"]').click()
  await page.locator('.el-message', { hasText: '评价已提交' }).waitFor()
  await row.waitFor({ state: 'detached' })
  // Once: the API refuses a second rating of the case.
  const again = await apiFromPage(page, 'POST', '/my/ratings', { case_id: kase.id, level: 1 })
  assert.equal(again.status, 409)
  assert.equal(again.json.error.code, 'already_rated')

  // The handler's own ratings never lead back to the student (B5): nothing names the case, the ticket or the
  // student, and a rating shows from the next day only, with its date, so today's is not listed yet.
  await staff.goto('/my/ratings')
  await staff.locator('[data-test="ratings-privacy"]').waitFor()
  await staff.locator('[data-test="ratings-summary"]').waitFor()
  assert.equal(await staff.locator('[data-test="staff-ratings-page"]', { hasText: kase.case_no }).count(), 0)
  const own = await apiFromPage(staff, 'GET', '/ratings')
  assert.equal(own.status, 200)
  for (const r of own.json.items) {
    for (const key of ['id', 'ticket_id', 'case_id', 'number', 'created_at', 'student_id']) assert.ok(!(key in r), key)
  }
  await staffContext.close()
})
