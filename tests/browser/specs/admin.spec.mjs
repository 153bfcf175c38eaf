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
