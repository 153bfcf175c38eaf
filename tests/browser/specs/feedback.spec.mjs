// Complaints and suggestions (C1–C3): a student complains in the portal, the
// complaints-window staff member takes it, investigates and answers it at the
// desk, and the student accepts the feedback; tracking by number and phone
// without login.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText } from '../lib/helpers.mjs'

const HANDLER = { login: 'staff09', password: 'staff123' } // 学生事务中心: staffs window 10

test('a complaint from the portal through feedback to acceptance', async ({ page }) => {
  const text = `E2E投诉-${Date.now().toString(36)}：窗口中午无人值守`
  await login(page, USERS.student)
  await page.goto('/feedback/new')
  await byTest(page, 'feedback-submit-page').waitFor()
  await field(page, 'feedback-content').fill(text)
  await byTest(page, 'feedback-submit').click()
  const no = await visibleText(byTest(page, 'feedback-tracking-no'))
  assert.match(no, /^T\d{8}-\d{6}$/)

  // The handler takes it at the desk, investigates and answers.
  await page.context().clearCookies()
  await login(page, HANDLER)
  await page.goto('/feedback/desk')
  await byTest(page, 'desk-table').waitFor()
  await page.locator('.el-table__row', { hasText: no }).click()
  await byTest(page, 'desk-detail').waitFor()
  await byTest(page, 'desk-assign').click()
  await byTest(page, 'desk-start').click()
  assert.match(await visibleText(byTest(page, 'desk-detail-status')), /调查处理中/)
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
  assert.match(await visibleText(card.locator('[data-test="feedback-answer"]')), /调整午间排班/)
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
  assert.match(await visibleText(byTest(page, 'track-error')), /未找到/)
  await field(page, 'track-phone').fill('13912345678')
  await byTest(page, 'track-submit').click()
  assert.match(await visibleText(byTest(page, 'feedback-status')), /已受理/)
})
