// Accurate documents (B5) and the courtesy check (B1) in the browser: staff01
// issues an enrollment certificate from the student's record, the public
// verification page (no login) says it is valid; a correction revokes it and the
// page then says revoked; a discourteous purpose is highlighted with a one-click
// courteous replacement; a student downloads their own certificate.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

// A student of the demo data whose documents no other spec touches.
const STUDENT_NO = '2023001042'

async function issueInUi(page, purpose) {
  await page.goto('/documents')
  await byTest(page, 'documents-page').waitFor()
  await field(page, 'doc-student-no').fill(STUDENT_NO)
  await byTest(page, 'doc-lookup').click()
  const subject = await visibleText(byTest(page, 'doc-subject'))
  assert.match(subject, new RegExp(STUDENT_NO))
  await field(page, 'doc-field-purpose').fill(purpose)
  await byTest(page, 'courtesy-ok').waitFor({ state: 'visible' })
  await byTest(page, 'doc-issue').click()
  const number = await visibleText(byTest(page, 'doc-issued-number'))
  assert.match(number, /^HUT-ZM-\d{4}-\d{6}$/)
  const code = await visibleText(byTest(page, 'doc-issued-code'))
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
  return { number, code }
}

async function verifyStatus(page, code, base = '') {
  await page.goto(`${base}/verify/${code.replace(/-/g, '')}`)
  const result = byTest(page, 'verify-result')
  await result.waitFor({ state: 'visible' })
  return { status: await result.getAttribute('data-status'), text: (await result.innerText()).trim() }
}

test('staff issue an enrollment certificate; the public page verifies it, and after a correction says revoked', async ({ page, context }) => {
  await login(page, USERS.staff)
  const first = await issueInUi(page, '办理出国签证')

  // The PDF is served to staff.
  const pdf = await page.evaluate(async (href) => {
    const r = await fetch(href, { credentials: 'same-origin' })
    const b = new Uint8Array(await r.arrayBuffer())
    return { status: r.status, type: r.headers.get('content-type'), head: String.fromCharCode(...b.slice(0, 5)) }
  }, await byTest(page, 'doc-issued-pdf').getAttribute('href'))
  assert.equal(pdf.status, 200)
  assert.equal(pdf.type, 'application/pdf')
  assert.equal(pdf.head, '%PDF-')

  // The verification page, in a context without a session (as a verifier's phone).
  const anon = await context.browser().newContext()
  const phone = await anon.newPage()
  phone.setDefaultTimeout(15_000)
  const base = new URL(page.url()).origin
  await phone.goto(`${base}/verify/${first.code.replace(/-/g, '')}`)
  await byTest(phone, 'verify-result').waitFor({ state: 'visible' })
  assert.equal(await byTest(phone, 'verify-result').getAttribute('data-status'), 'valid')
  await eventually(async () => assert.match(await visibleText(byTest(phone, 'verify-status')), /真实有效/))
  await eventually(async () => assert.equal(await visibleText(byTest(phone, 'verify-number')), first.number))
  const shown = await visibleText(byTest(phone, 'verify-result'))
  assert.ok(!shown.includes(STUDENT_NO), 'the 学号 is not shown')
  assert.match(shown, /\*/, 'the name is masked')

  // Correct it: the old one is revoked, a new one issued.
  await page.goto('/documents')
  await field(page, 'docs-search').fill(first.number)
  await field(page, 'docs-search').press('Enter')
  await byTest(page, `doc-correct-${first.number}`).click()
  await field(page, 'doc-correct-reason').fill('用途应注明前往国家')
  await field(page, 'doc-correct-purpose').fill('办理出国签证（法国）')
  await byTest(page, 'doc-correct-save').click()
  const second = await visibleText(byTest(page, 'doc-issued-number'))
  assert.notEqual(second, first.number)
  const secondCode = await visibleText(byTest(page, 'doc-issued-code'))

  await phone.reload()
  await byTest(phone, 'verify-result').waitFor({ state: 'visible' })
  assert.equal(await byTest(phone, 'verify-result').getAttribute('data-status'), 'revoked')
  await eventually(async () => assert.match(await visibleText(byTest(phone, 'verify-status')), /已作废/))
  assert.equal((await verifyStatus(phone, secondCode, base)).status, 'valid')
  // A typed code that does not exist.
  await phone.goto(`${base}/verify`)
  await field(phone, 'verify-code').fill('ZZZZ-ZZZZ-ZZZZ')
  await byTest(phone, 'verify-submit').click()
  await phone.waitForURL(/\/verify\/ZZZZZZZZZZZZ$/)
  await byTest(phone, 'verify-result').waitFor({ state: 'visible' })
  assert.equal(await byTest(phone, 'verify-result').getAttribute('data-status'), 'not_authentic')
  await anon.close()
})

test('a discourteous purpose is highlighted and replaced in one click; the server refuses it too', async ({ page }) => {
  await login(page, USERS.staff)
  await page.goto('/documents')
  await field(page, 'doc-student-no').fill(STUDENT_NO)
  await byTest(page, 'doc-lookup').click()
  await byTest(page, 'doc-subject').waitFor()
  await field(page, 'doc-field-purpose').fill('要下班了，明天再来')
  await byTest(page, 'courtesy-warning').waitFor({ state: 'visible' })
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'courtesy-mark')), '要下班了，明天再来'))
  assert.ok((await visibleText(byTest(page, 'courtesy-suggestion'))).length > 4)
  // Issuing is stopped in the browser (and the attempt recorded for the teacher).
  await byTest(page, 'doc-issue').click()
  await page.waitForTimeout(500)
  assert.equal(await byTest(page, 'doc-issued').count(), 0)
  await byTest(page, 'courtesy-replace').click()
  const replaced = await field(page, 'doc-field-purpose').inputValue()
  assert.ok(!replaced.includes('下班'), replaced)
  await byTest(page, 'courtesy-ok').waitFor({ state: 'visible' })
  // The server refuses the same text whatever the browser does.
  const students = await apiFromPage(page, 'GET', `/documents/subject?student_no=${STUDENT_NO}`)
  const r = await apiFromPage(page, 'POST', '/documents', {
    type: 'enrollment_certificate',
    student_id: students.json.id,
    fields: { purpose: '我没空，等等' },
  })
  assert.equal(r.status, 422)
  assert.equal(r.json.error.code, 'discourteous_text')
  assert.equal(r.json.error.matches[0].phrase, '我没空、等等')
})

test('the teacher sees blocked attempts and keeps the list of phrasings', async ({ page }) => {
  await login(page, USERS.teacher)
  await page.goto('/courtesy/attempts')
  await eventually(async () => assert.match(await visibleText(byTest(page, 'attempts-table')), /这事我们不管/)) // demo attempt
  await page.goto('/courtesy/phrases')
  await byTest(page, 'phrases-table').waitFor()
  // The table (with its "no phrases" row) shows before the list has arrived.
  await eventually(async () => assert.match(await visibleText(byTest(page, 'phrases-table')), /你这人真啰嗦/))
  // The tester on the page: the B1 phrasing with spaces and full-width punctuation.
  await field(page, 'courtesy-try').fill('你 这 人，真啰嗦！')
  await byTest(page, 'courtesy-warning').waitFor({ state: 'visible' })
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'courtesy-mark')), '你 这 人，真啰嗦'))
})

test('a student downloads their own certificate from my documents', async ({ page }) => {
  await login(page, USERS.student) // 2023001001 holds the demo certificates
  await page.goto('/documents/mine')
  await byTest(page, 'my-document').first().waitFor()
  const cards = byTest(page, 'my-document')
  assert.ok((await cards.count()) >= 3)
  const statuses = await byTest(page, 'my-document-status').allInnerTexts()
  assert.ok(statuses.some((s) => s.includes('有效')))
  assert.ok(statuses.some((s) => s.includes('已作废')))
  const href = await byTest(page, 'my-document-pdf').first().getAttribute('href')
  const head = await page.evaluate(async (h) => {
    const r = await fetch(h, { credentials: 'same-origin' })
    return String.fromCharCode(...new Uint8Array(await r.arrayBuffer()).slice(0, 5))
  }, href)
  assert.equal(head, '%PDF-')
})
