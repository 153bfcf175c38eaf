// Administration › people: create a student, find them, disable the account.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, apiFromPage } from '../lib/helpers.mjs'

test('an administrator creates a student, finds them by 学号 and disables the account', async ({ page }) => {
  await login(page, USERS.admin)
  await page.goto('/admin/people')
  await byTest(page, 'people-table').waitFor()

  const stamp = Date.now().toString().slice(-7)
  const studentNo = `2099${stamp}`
  const name = `测试学生${stamp}`

  await byTest(page, 'people-create').click()
  await field(page, 'person-name').fill(name)
  await field(page, 'person-student-no').fill(studentNo)
  // The login follows the 学号 unless typed by hand.
  assert.equal(await field(page, 'person-login').inputValue(), studentNo)
  await field(page, 'person-password').fill('Init-pass-2099')
  await byTest(page, 'person-save').click()
  await byTest(page, 'person-form').waitFor({ state: 'hidden' })

  await field(page, 'people-q').fill(studentNo)
  await field(page, 'people-q').press('Enter')
  const row = byTest(page, 'people-table').locator('.el-table__row', { hasText: studentNo })
  await row.waitFor()
  assert.match(await row.innerText(), new RegExp(name))

  await row.getByRole('button', { name: '停用' }).click()
  await page.locator('.el-message-box').getByRole('button', { name: '确定' }).click()
  await row.getByRole('button', { name: '启用' }).waitFor()

  const found = await apiFromPage(page, 'GET', `/users?q=${studentNo}`)
  assert.equal(found.status, 200)
  const person = found.json.items.find((u) => u.login === studentNo)
  assert.ok(person, 'the server lists the new student')
  assert.equal(person.role, 'student')
  assert.equal(person.disabled, true)
  assert.equal(person.student.student_no, studentNo)
})
