// Service catalog: the public guide (B6.4: search in Chinese and pinyin initials,
// the item page with its checklist and time limit) and editing with version history.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, apiFromPage, visibleText, eventually } from '../lib/helpers.mjs'

const MOBILE = { width: 390, height: 844 }

test('public search finds 在读证明 in Chinese and by pinyin initials, without signing in', async ({ page }) => {
  await page.setViewportSize(MOBILE)
  await page.goto('/services')
  const search = field(page, 'public-search')
  await search.waitFor()

  await search.fill('在读')
  const hit = byTest(page, 'public-item-JWC-001')
  await hit.waitFor()
  assert.match(await hit.innerText(), /在读证明/)

  await search.fill('zdzm')
  await byTest(page, 'public-count').filter({ hasText: '找到 1 个事项' }).waitFor()
  await eventually(async () => assert.match(await visibleText(byTest(page, 'public-item-JWC-001')), /在读证明/))
  assert.match(await hit.innerText(), /即办/)

  await search.fill('xszbb')
  await eventually(async () => assert.match(await visibleText(byTest(page, 'public-item-JWC-003')), /学生证补办/))
  assert.equal(await byTest(page, 'public-item-JWC-001').count(), 0)
})

test('the item page shows its materials checklist, time limit and the serving windows', async ({ page }) => {
  await page.setViewportSize(MOBILE)
  await page.goto('/services?q=zdzm')
  await byTest(page, 'public-item-JWC-001').click()
  await byTest(page, 'public-item').waitFor()
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'public-item-name')), '在读证明'))
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'public-time-limit')), '即办'))
  const materials = await visibleText(byTest(page, 'public-materials'))
  assert.match(materials, /学生证/)
  assert.match(materials, /学生本人身份证/)
  assert.match(materials, /委托他人代办时提交/) // a conditional material says when
  assert.equal(await byTest(page, 'map-serving').count(), 2) // windows 2 and 9 of 10
  assert.equal(await byTest(page, 'map-window').count(), 8)

  // 学生证补办 costs ¥10 and takes 5 working days.
  await page.goto('/services?q=xszbb')
  await byTest(page, 'public-item-JWC-003').click()
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'public-time-limit')), '5 个工作日'))
  await eventually(async () => assert.match(await visibleText(byTest(page, 'public-item')), /¥10\.00/))
})

test('an administrator edits an item and its version history shows two versions', async ({ page }) => {
  await login(page, USERS.admin)
  // A fresh item, so that the test can run again on the same database.
  const code = `T-${Date.now().toString().slice(-8)}`
  const base = await apiFromPage(page, 'GET', '/public/catalog?q=zdzm')
  const unitId = base.json.items[0].unit.id
  const windowId = base.json.items[0].windows[0].id
  const created = await apiFromPage(page, 'POST', '/catalog/items', {
    code,
    unit_id: unitId,
    name: '测试证明',
    category: '证明开具',
    handling_mode: 'on_site',
    window_ids: [windowId],
    time_limit_days: 0,
    contact: { office: '教务处' },
    materials: [{ name: '学生证', originals: 1 }],
  })
  assert.equal(created.status, 201, JSON.stringify(created.json))

  await page.goto('/catalog')
  await field(page, 'catalog-q').fill(code)
  await field(page, 'catalog-q').press('Enter')
  await byTest(page, `catalog-edit-${code}`).click()
  await byTest(page, 'catalog-item-page').waitFor()
  const name = field(page, 'item-name')
  await name.waitFor()
  // The form is on the page before the item's data has arrived.
  await eventually(async () => assert.equal(await name.inputValue(), '测试证明'))
  await name.fill('测试证明（修订）')
  await field(page, 'item-note').fill('改名')
  await byTest(page, 'item-save').click()
  await page.locator('.el-message--success', { hasText: 'v2' }).waitFor()

  await page.getByRole('tab', { name: /版本历史/ }).click()
  const rows = byTest(page, 'versions-table').locator('.el-table__body tr.el-table__row')
  await rows.nth(1).waitFor()
  assert.equal(await rows.count(), 2)
  assert.match(await rows.nth(0).innerText(), /v2[\s\S]*测试证明（修订）[\s\S]*改名/)
  assert.match(await rows.nth(1).innerText(), /v1[\s\S]*测试证明/)

  const versions = await apiFromPage(page, 'GET', `/catalog/items/${created.json.id}/versions`)
  assert.deepEqual(versions.json.items.map((v) => v.name), ['测试证明（修订）', '测试证明'])
})
