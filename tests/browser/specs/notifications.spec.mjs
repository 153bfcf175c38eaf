// B6.3 warnings reach the handler without looking: staff signed in see the
// bell's unread count rise, and a toast, when the sweeper records a warning for
// a case they handle. The server runs the sweeper every 2 s in the test run
// (scripts/test passes [cases] warning_sweep_seconds = 2); the case is made to
// reach its due instant a few seconds from now through the green channel, which
// may bring the due instant forward (B6.5) — no test-only path.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

// A student of the demo data no other spec touches.
const STUDENT_NO = '2023001060'

async function bellCount(page) {
  const sup = page.locator('[data-test="notification-count"] sup')
  if (!(await sup.isVisible())) return 0
  const text = (await sup.textContent()) || '0'
  return text.includes('+') ? 100 : Number(text.trim())
}

test('the bell count rises live when a case of mine reaches its time limit', async ({ page }) => {
  await login(page, USERS.staff)
  await page.goto('/cases/desk')
  await byTest(page, 'notification-bell').waitFor()
  await page.waitForTimeout(500) // the stream's snapshot sets the starting count
  const before = await bellCount(page)

  // A walk-in case of 学生证补办 (JWC-003), every material provided, accepted by staff01.
  const items = await apiFromPage(page, 'GET', `/catalog/items?q=${encodeURIComponent('学生证补办')}`)
  assert.equal(items.status, 200)
  const item = items.json.items.find((i) => i.code === 'JWC-003')
  assert.ok(item, 'JWC-003 in the catalog')
  const created = await apiFromPage(page, 'POST', '/cases', {
    channel: 'walk_in',
    student_no: STUDENT_NO,
    item_id: item.id,
    summary: '学生证补办（提醒测试）',
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const id = created.json.id
  const marks = created.json.materials.map((m) => ({
    material_id: m.material_id,
    mark: m.required ? 'provided' : 'not_applicable',
  }))
  assert.equal((await apiFromPage(page, 'PUT', `/cases/${id}/materials`, { marks })).status, 200)
  assert.equal((await apiFromPage(page, 'POST', `/cases/${id}/accept`, {})).status, 200)
  // B6.5: the due instant brought forward to a few seconds from now.
  const due = new Date(Date.now() + 4000).toISOString()
  const green = await apiFromPage(page, 'POST', `/cases/${id}/green-channel`, { reason: '毕业离校急需', due_at: due })
  assert.equal(green.status, 200, JSON.stringify(green.json))

  // Within a few sweeps the count rises over the live stream, and a toast names the case.
  await page.waitForFunction(
    (n) => {
      const sup = document.querySelector('[data-test="notification-count"] sup')
      if (!sup || sup.style.display === 'none') return false
      const v = (sup.textContent || '').trim()
      return v.includes('+') || Number(v) > n
    },
    before,
    { timeout: 20_000 },
  )
  assert.ok((await bellCount(page)) > before)
  const toast = page.locator('.hall-warning-toast').filter({ hasText: created.json.case_no }).first()
  await toast.waitFor({ state: 'visible', timeout: 10_000 })

  // The list links to the case; opening it marks the warning read.
  await byTest(page, 'notification-bell').click()
  await byTest(page, 'notification-panel').waitFor({ state: 'visible' })
  const entry = page.locator('[data-test="notification-panel"] .item', { hasText: created.json.case_no }).first()
  await entry.waitFor({ state: 'visible' })
  await entry.click()
  await page.waitForURL(new RegExp(`/cases/${id}$`))
  await eventually(async () => assert.match(await visibleText(byTest(page, 'case-no')), new RegExp(created.json.case_no)))
})
