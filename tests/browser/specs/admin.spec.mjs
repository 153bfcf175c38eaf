// Administration (管理): windows, and who may reach it.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

test('an administrator creates a window, sees it listed, and takes it out of service', async ({ page }) => {
  await login(page, USERS.admin)
  // The administration section is in the menu.
  await byTest(page, 'menu-section-admin').waitFor()
  await byTest(page, 'menu-admin-windows').click()
  await page.waitForURL(/\/admin\/windows$/)
  await byTest(page, 'windows-table').waitFor()

  // Pick a window number not yet used in any hall, and a unique name.
  const existing = await apiFromPage(page, 'GET', '/windows?page_size=200')
  assert.equal(existing.status, 200)
  const used = new Set((existing.json.items || []).map((w) => Number(w.number)))
  // Window numbers run from 1 to 999; start at a random point and take the next free one.
  const start = 100 + Math.floor(Math.random() * 800)
  let number = 0
  for (let i = 0; i < 999 && !number; i++) {
    const n = ((start - 1 + i) % 999) + 1
    if (!used.has(n)) number = n
  }
  assert.ok(number, 'a free window number exists')
  const name = `E2E窗口-${Date.now().toString(36)}`

  await byTest(page, 'windows-create').click()
  await field(page, 'window-number').fill(String(number))
  await field(page, 'window-name').fill(name)
  await byTest(page, 'window-save').click()

  const row = byTest(page, 'windows-table').locator('.el-table__row', { hasText: name })
  await row.waitFor({ state: 'visible' })
  assert.match(await row.innerText(), new RegExp(`\\b${number}\\b`))

  // The server has it too.
  const after = await apiFromPage(page, 'GET', '/windows?page_size=200')
  assert.ok(after.json.items.some((w) => w.name === name && Number(w.number) === number && w.active))

  // Edit it: take it out of service, so the demo hall's layout stays as other specs expect.
  await row.getByRole('button', { name: '编辑' }).click()
  await byTest(page, 'window-active').click()
  await byTest(page, 'window-save').click()
  await row.locator('.el-tag', { hasText: '停用' }).waitFor()
  const edited = await apiFromPage(page, 'GET', '/windows?page_size=200')
  assert.equal(edited.json.items.find((w) => w.name === name).active, false)
})

test('a student cannot open an administration page, and the API refuses with 403', async ({ page }) => {
  await login(page, USERS.student)
  // No administration section in the student's menu.
  assert.equal(await byTest(page, 'feature-admin-windows').count(), 0)

  await page.goto('/admin/windows')
  const forbidden = byTest(page, 'forbidden')
  await eventually(async () => assert.match(await visibleText(forbidden), /无权访问/))
  assert.equal(await byTest(page, 'windows-page').count(), 0)

  const res = await apiFromPage(page, 'POST', '/windows', { hall_id: 1, number: 998, name: 'should not exist' })
  assert.equal(res.status, 403)
  assert.ok(res.json && res.json.error && res.json.error.code, 'error body {"error":{"code",…}}')
})

test('the administration pages load for an administrator', async ({ page }) => {
  await login(page, USERS.admin)
  for (const [path, id] of [
    ['/admin/people', 'people-table'],
    ['/admin/roles', 'roles-table'],
    ['/admin/halls', 'halls-table'],
    ['/admin/units', 'units-table'],
    ['/admin/colleges', 'colleges-table'],
    ['/admin/devices', 'devices-table'],
    ['/admin/audit', 'audit-table'],
  ]) {
    await page.goto(path)
    await byTest(page, id).waitFor({ state: 'visible' })
    assert.equal(await byTest(page, 'forbidden').count(), 0, `${path} is allowed`)
  }
  // The audit log records the sign-in.
  await page.goto('/admin/audit')
  await byTest(page, 'audit-table').locator('.el-table__row').first().waitFor()
})

// The shared list page (web/src/components/CrudTable.vue): halls, units and colleges are
// one page (org/OrgListView.vue) with their own fields; Enter saves, the filter finds.
test('an administrator adds a college with Enter, finds and edits it, and the units list takes its place', async ({ page }) => {
  await login(page, USERS.admin)
  await page.goto('/admin/colleges')
  await byTest(page, 'colleges-table').waitFor()
  const code = `E2E${Date.now().toString(36).toUpperCase()}`
  const name = `端到端学院-${code}`

  await byTest(page, 'colleges-create').click()
  await field(page, 'colleges-field-code').fill(code)
  await field(page, 'colleges-field-name').fill(name)
  await field(page, 'colleges-field-name').press('Enter')
  const row = byTest(page, 'colleges-table').locator('.el-table__row', { hasText: name })
  await row.waitFor({ state: 'visible' })
  const created = (await apiFromPage(page, 'GET', '/colleges?page_size=200')).json.items.find((c) => c.code === code)
  assert.ok(created && created.name === name, 'the server has the new college')

  // The filter narrows the list to it; editing sends what changed.
  await byTest(page, 'colleges-page').locator('.toolbar input').fill(code)
  await eventually(async () => assert.equal(await byTest(page, 'colleges-table').locator('.el-table__row').count(), 1))
  await row.getByRole('button', { name: '编辑' }).click()
  await field(page, 'colleges-field-name_en').fill(`E2E College ${code}`)
  await byTest(page, 'colleges-save').click()
  await eventually(async () => {
    const c = (await apiFromPage(page, 'GET', '/colleges?page_size=200')).json.items.find((x) => x.id === created.id)
    assert.equal(c.name_en, `E2E College ${code}`)
  })

  // The same page component, another list: the units, without the college.
  await byTest(page, 'menu-admin-units').click()
  await page.waitForURL(/\/admin\/units$/)
  await byTest(page, 'units-table').locator('.el-table__row').first().waitFor()
  assert.equal(await byTest(page, 'units-table').locator('.el-table__row', { hasText: name }).count(), 0)
  assert.equal(await byTest(page, 'colleges-page').count(), 0)
})

test('the teacher adds a forbidden phrasing, switches it off and deletes it after confirming', async ({ page }) => {
  await login(page, USERS.teacher)
  await page.goto('/courtesy/phrases')
  await byTest(page, 'phrases-table').waitFor()
  const label = `端到端禁用语${Date.now().toString(36)}`
  await byTest(page, 'phrase-create').click()
  await field(page, 'phrase-label').fill(label)
  await field(page, 'phrase-pattern').fill(`${label}不存在的说法`)
  await field(page, 'phrase-suggestion').fill('请换一种说法')
  await byTest(page, 'phrase-save').click()
  const row = byTest(page, 'phrases-table').locator('.el-table__row', { hasText: label })
  await row.waitFor({ state: 'visible' })
  const list = async () => (await apiFromPage(page, 'GET', '/courtesy/phrases')).json.items
  const created = (await list()).find((p) => p.label === label)
  assert.ok(created && created.active, 'created and active')

  await row.getByRole('button', { name: '已停用' }).click() // the button says what it makes it
  await row.locator('.el-tag', { hasText: '已停用' }).waitFor()
  assert.equal((await list()).find((p) => p.id === created.id).active, false)

  // Delete asks first: cancelling keeps it, confirming removes it.
  const remove = row.getByRole('button', { name: '删除' })
  await remove.click()
  const box = page.locator('.el-message-box')
  await box.getByRole('button', { name: '取消' }).click()
  await box.waitFor({ state: 'hidden' })
  assert.ok((await list()).some((p) => p.id === created.id), 'kept after cancelling')
  await remove.click()
  await box.getByRole('button', { name: '确定' }).click()
  await row.waitFor({ state: 'detached' })
  assert.ok(!(await list()).some((p) => p.id === created.id), 'gone after confirming')
})
