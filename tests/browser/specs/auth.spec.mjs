// Sign-in, language switch, sign-out.
import { test } from '../lib/harness.mjs'
import { assert, USERS, byTest, field, login, visibleText, eventually } from '../lib/helpers.mjs'

test('a wrong password shows the server message and stays on the login page', async ({ page }) => {
  await page.goto('/login')
  await field(page, 'login-name').fill(USERS.admin.login)
  await field(page, 'login-password').fill('definitely-wrong')
  await byTest(page, 'login-submit').click()
  const msg = await visibleText(byTest(page, 'login-error'))
  assert.ok(msg.length > 0, 'an error message is shown')
  assert.match(new URL(page.url()).pathname, /^\/login/)
})

test('language switch changes the UI to English and is remembered', async ({ page }) => {
  await page.goto('/login')
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'login-title')), '学生事务服务大厅'))
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'login-submit')), '登录'))

  await byTest(page, 'lang-switch').click()
  await byTest(page, 'lang-en').click()
  await page.waitForFunction(() => document.documentElement.lang === 'en')
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'login-title')), 'Student Affairs Service Hall'))
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'login-submit')), 'Sign in'))
  assert.equal(await page.evaluate(() => localStorage.getItem('hall.lang')), 'en')

  // Signed in, the staff console is in English and the API is asked for English.
  const meRequest = page.waitForRequest((r) => r.url().includes('/api/v1/auth/me'))
  await login(page, USERS.admin)
  const headers = (await meRequest).headers()
  assert.equal(headers['accept-language'], 'en')
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'menu-section-admin').locator('.menu-section-title')), 'Administration'))
  await page.reload()
  await byTest(page, 'home-greeting').waitFor()
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'menu-section-admin').locator('.menu-section-title')), 'Administration'))

  // And back to Chinese.
  await byTest(page, 'lang-switch').click()
  await byTest(page, 'lang-zh-CN').click()
  await eventually(async () => assert.equal(await visibleText(byTest(page, 'menu-section-admin').locator('.menu-section-title')), '管理'))
})

test('sign out returns to the login page and protected pages need a new sign-in', async ({ page }) => {
  await login(page, USERS.staff)
  await byTest(page, 'user-menu').click()
  await byTest(page, 'logout').click()
  await page.waitForURL(/\/login/)
  await page.goto('/account/password')
  await page.waitForURL(/\/login\?redirect=/)
})
