// Cases (B6.1–B6.3) in the browser: a walk-in at the case desk → materials
// checklist → one-time notice (the student sees it in the portal) → the student
// brings the material → acceptance with a due date → completion; and a phone
// call referred to the item's office and handler, the student reporting from
// the portal that they could not reach them, the first responder's reply.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

// Students of the demo data no other spec touches.
const INTAKE_STUDENT = { login: '2023001050', password: 'student123' }
const REFER_STUDENT = { login: '2023001051', password: 'student123' }

async function asStudent(browser, baseURL, user) {
  const ctx = await browser.newContext({ baseURL })
  const page = await ctx.newPage()
  page.setDefaultTimeout(15_000)
  await login(page, user)
  return { ctx, page }
}

async function status(page) {
  return visibleText(byTest(page, 'case-status'))
}

test('walk-in: materials → one-time notice → resubmission → acceptance → completion', async ({ page, context, baseURL }) => {
  await login(page, USERS.staff)
  await page.goto('/cases/desk')
  await byTest(page, 'case-desk').waitFor()
  await page.keyboard.press('n') // keyboard-friendly: N opens the intake
  await byTest(page, 'intake-dialog').waitFor({ state: 'visible' })
  await field(page, 'intake-student-no').fill(INTAKE_STUDENT.login)
  await field(page, 'intake-summary').fill('学生证遗失，申请补办')
  await byTest(page, 'intake-item').click()
  await page.keyboard.type('学生证补办')
  await page.locator('.el-select-dropdown__item:visible', { hasText: '学生证补办' }).first().click()
  await byTest(page, 'intake-send').click()
  await byTest(page, 'case-view').waitFor()
  assert.match(await status(page), /已登记/)
  await eventually(async () => assert.match(await visibleText(byTest(page, 'case-first-responder')), /李娟/))
  const caseNo = await visibleText(byTest(page, 'case-no'))

  // Every material must be marked before the notice (B6.2): the preview says what is left.
  await byTest(page, 'mark-0-provided').click()
  await byTest(page, 'marks-save').click()
  await byTest(page, 'notice-unmarked').waitFor({ state: 'visible' })
  await byTest(page, 'mark-1-defective').click()
  await field(page, 'correction-1').fill('请提供近期蓝底一寸照片')
  await byTest(page, 'material-2').click()
  await page.keyboard.press('4') // not applicable: the original card is only for a damaged card
  await page.keyboard.press('s')
  await byTest(page, 'notice-unmarked').waitFor({ state: 'detached' })
  await eventually(async () => assert.match(await visibleText(byTest(page, 'notice-defective')), /蓝底一寸照片/))
  await field(page, 'notice-remarks').fill('请您补正照片后再来窗口，谢谢。')
  await byTest(page, 'notice-issue').click()
  await page.waitForFunction(() => /待补正材料/.test(document.querySelector('[data-test="case-status"]')?.textContent || ''))

  // The student sees the notice in the portal, with its six parts and a PDF.
  const student = await asStudent(context.browser(), baseURL, INTAKE_STUDENT)
  await student.page.goto('/cases/mine')
  const card = byTest(student.page, `my-case-${caseNo}`)
  await eventually(async () => assert.match(await visibleText(card), /待补正材料/))
  await card.click()
  await byTest(student.page, 'my-notices').waitFor()
  await eventually(async () => assert.match(await visibleText(byTest(student.page, 'my-notices')), /蓝底一寸照片/))
  const pdfHref = await byTest(student.page, 'notice-pdf').first().getAttribute('href')
  const pdf = await student.page.evaluate(async (href) => {
    const r = await fetch(href, { credentials: 'same-origin' })
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, head: String.fromCharCode(...b.slice(0, 5)) }
  }, pdfHref)
  assert.equal(pdf.status, 200)
  assert.equal(pdf.head, '%PDF-')

  // The student brings the photo: the case resumes where it stopped.
  await byTest(page, 'case-resubmit').click()
  await page.waitForFunction(() => /已登记/.test(document.querySelector('[data-test="case-status"]')?.textContent || ''))
  await byTest(page, 'mark-1-provided').click()
  await byTest(page, 'marks-save').click()
  await byTest(page, 'notice-unmarked').waitFor({ state: 'detached' })
  await byTest(page, 'case-accept').click()
  await page.waitForFunction(() => /办理中/.test(document.querySelector('[data-test="case-status"]')?.textContent || ''))
  await byTest(page, 'case-due').waitFor({ state: 'visible' })
  await byTest(page, 'case-complete').click()
  await field(page, 'complete-note').fill('新学生证已办好，请凭身份证到 1 号窗口领取，谢谢。')
  await byTest(page, 'courtesy-ok').first().waitFor({ state: 'visible' })
  await byTest(page, 'complete-send').click()
  await page.waitForFunction(() => /已办结/.test(document.querySelector('[data-test="case-status"]')?.textContent || ''))

  await student.page.goto('/cases/mine')
  await eventually(async () => assert.match(await visibleText(byTest(student.page, `my-case-${caseNo}`)), /已办结/))
  await student.ctx.close()
})

test('phone call referred to a named office and handler; the student could not reach them; the first responder replies', async ({ page, context, baseURL }) => {
  await login(page, USERS.staff)
  await page.goto('/cases/desk')
  const items = await apiFromPage(page, 'GET', '/public/catalog?q=%E8%BD%AC%E4%B8%93%E4%B8%9A&page_size=5')
  const item = (items.json.items || []).find((x) => x.name === '转专业申请')
  assert.ok(item, 'demo item 转专业申请')
  const created = await apiFromPage(page, 'POST', '/cases', {
    channel: 'phone',
    caller_name: '刘同学',
    caller_phone: '13800001111',
    student_no: REFER_STUDENT.login,
    summary: '咨询转专业考核安排',
    item_id: item.id,
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))
  const id = created.json.id
  const caseNo = created.json.case_no

  await page.goto(`/cases/${id}`)
  await byTest(page, 'case-refer').click()
  await byTest(page, 'refer-dialog').waitFor({ state: 'visible' })
  // "I don't know" is refused, naming the field.
  const handler = field(page, 'refer-handler')
  const catalogHandler = await handler.inputValue()
  assert.ok(catalogHandler, 'the item contact fills the handler')
  await handler.fill('不知道')
  await byTest(page, 'refer-send').click()
  await page.locator('.el-message--error', { hasText: /经办人/ }).first().waitFor({ state: 'visible' })
  await handler.fill(catalogHandler)
  await field(page, 'refer-note').fill('请您工作日上午前往，谢谢。')
  await byTest(page, 'refer-send').click()
  await page.waitForFunction(() => /已转介/.test(document.querySelector('[data-test="case-status"]')?.textContent || ''))

  // The student sees where to go at once, and reports from the portal that they could not reach them.
  const student = await asStudent(context.browser(), baseURL, REFER_STUDENT)
  await student.page.goto(`/cases/mine/${id}`)
  await eventually(async () => assert.equal(await visibleText(byTest(student.page, 'my-referral-handler')), catalogHandler))
  await byTest(student.page, 'unreachable-open').click()
  await field(student.page, 'unreachable-note').fill('电话一直无人接听')
  await byTest(student.page, 'unreachable-send').click()
  await byTest(student.page, 'my-followup-open').waitFor({ state: 'visible' })

  // The first responder's desk lists the follow-up; they record what was agreed and reply.
  await page.goto('/cases/desk')
  await byTest(page, `followup-${caseNo}`).click()
  await byTest(page, 'case-followup-open').waitFor()
  await field(page, 'followup-agreed').fill('杨老师周三下午在行政楼 305 接待')
  await field(page, 'followup-reply').fill('您好，已联系教务处杨老师，请您周三下午前往行政楼 305，谢谢。')
  await byTest(page, 'courtesy-ok').first().waitFor({ state: 'visible' })
  await byTest(page, 'followup-send').click()
  await byTest(page, 'case-followup-done').waitFor({ state: 'visible' })

  await student.page.reload()
  await eventually(async () => assert.match(await visibleText(byTest(student.page, 'my-followup-reply')), /行政楼 305/))
  await student.ctx.close()
})
