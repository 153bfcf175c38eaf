// Monthly statistics (B5, B6.4 事务公开): the public page shows last month's
// served volume computed from the (demo) data, without signing in; the current
// month is not published; staff see the current month live.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

function lastMonth() {
  // The hall's zone is UTC+8.
  const now = new Date(Date.now() + 8 * 3600 * 1000)
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth() // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`
}

test('the public stats page shows last month’s served volume, without signing in', async ({ page }) => {
  const month = lastMonth()
  // The figures the page must show, from the public API.
  const res = await page.request.get(`/api/v1/public/stats/monthly?hall=1&month=${month}`)
  assert.equal(res.status(), 200)
  const figures = await res.json()
  assert.ok(figures.volume.served > 0, 'the demo data has served tickets last month')

  // Reached from the public catalog's links.
  await page.goto('/services')
  await byTest(page, 'stats-link').first().click()
  await page.waitForURL((url) => url.pathname === '/stats')
  await byTest(page, 'public-stats-page').waitFor()
  await byTest(page, `stats-${month}`).waitFor({ timeout: 15_000 })
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'served-value')), String(figures.volume.served)))
  // Targets beside the figures; satisfaction has no ratings data yet → a dash and the reason.
  await eventually(async () => assert.match(await visibleText(byTest(page, 'figure-on-time')), /目标 100%/))
  const satisfaction = await visibleText(byTest(page, 'figure-satisfaction'))
  assert.match(satisfaction, /目标 ≥ 96%/)
  if (figures.satisfaction.rate === null) assert.match(satisfaction, /—/)
  // The daily chart is drawn.
  await byTest(page, 'daily-chart').locator('canvas').first().waitFor()
  // The picker offers closed months only.
  const months = await (await page.request.get('/api/v1/public/stats/months?hall=1')).json()
  assert.equal(months.items[0].month, month)
  const current = await page.request.get(`/api/v1/public/stats/monthly?hall=1&month=${months.current_month}`)
  assert.equal(current.status(), 422)
  assert.equal((await current.json()).error.code, 'month_not_closed')
})

test('the hours page links to the statistics, and staff see the current month live', async ({ page }) => {
  await page.goto('/hall/hours')
  await byTest(page, 'stats-link').first().waitFor()
  assert.equal(await byTest(page, 'stats-link').first().getAttribute('href'), '/stats')

  await login(page, USERS.teacher)
  await page.goto('/staff/stats')
  await byTest(page, 'staff-stats-page').waitFor()
  const live = await apiFromPage(page, 'GET', '/stats/monthly?hall=1')
  assert.equal(live.status, 200)
  assert.equal(live.json.live, true)
  await byTest(page, `stats-${live.json.month}`).waitFor({ timeout: 15_000 })
  await eventually(async () => assert.match(await visibleText(byTest(page, 'stats-stamp')), /实时计算/))
})
