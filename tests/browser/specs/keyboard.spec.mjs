// The kiosk and the window console with the keyboard alone (WCAG 2.1.1, 2.4.3, 2.4.7):
// Tab to a control, Enter or Space to press it, the focus always visible.
import { test } from '../lib/harness.mjs'
import { HALL_ID, ensureHallOpen } from '../lib/hall.mjs'
import { assert, USERS, byTest, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'
import { tabTo } from '../lib/a11y.mjs'

const KIOSK_TOKEN = 'demo-kiosk-token-0001-hall-main'

/** Items of the demo catalog served at window 1 of the hall, open for taking numbers. */
async function itemsAtWindow1(request) {
  const res = await request.get(`/api/v1/public/catalog?page_size=200`)
  assert.equal(res.status(), 200, 'public catalog answers')
  const items = ((await res.json()).items || []).filter(
    (it) =>
      !it.suspended &&
      it.handling_mode !== 'online' &&
      (it.windows || []).some((w) => Number(w.number) === 1 && Number(w.hall_id) === HALL_ID),
  )
  assert.ok(items.length, 'the demo catalog has items served at window 1')
  items.sort((a, b) => (a.periods || []).length - (b.periods || []).length)
  return items
}

const activeTest = (page) => page.evaluate(() => (document.activeElement && document.activeElement.getAttribute('data-test')) || document.activeElement.tagName)

test(
  'keyboard only: take a number at the kiosk, then call, serve and finish it at the window console',
  async ({ page, context, baseURL }) => {
    const restore = await ensureHallOpen(context, baseURL)
    try {
      const items = await itemsAtWindow1(context.request)
      const studentNo = String(2023001150 + Math.floor(Math.random() * 150))

      // ---- the kiosk (its own context: a screen with the device token set up)
      const kioskCtx = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1920, height: 1080 } })
      await kioskCtx.addInitScript((token) => localStorage.setItem('hall.device.kiosk.token', token), KIOSK_TOKEN)
      const kiosk = await kioskCtx.newPage()
      await kiosk.goto('/kiosk')
      await byTest(kiosk, 'kiosk-items').waitFor()
      let ticket = null
      for (const item of items) {
        await byTest(kiosk, `kiosk-item-${item.id}`).waitFor()
        await tabTo(kiosk, `[data-test="kiosk-item-${item.id}"]`)
        await kiosk.keyboard.press('Enter')
        await byTest(kiosk, 'kiosk-student-no').waitFor()
        // The new screen takes the focus: its heading, so Tab goes on from there.
        await eventually(async () => assert.equal(await kiosk.evaluate(() => document.activeElement.tagName), 'H1'))
        await kiosk.keyboard.type(studentNo)
        await eventually(async () => assert.equal(await visibleText(byTest(kiosk, 'kiosk-student-no')), studentNo))
        // Enter on a focused key presses that key, not "take": ⌫ deletes the last digit.
        await tabTo(kiosk, '[data-test="kiosk-key-back"]')
        await kiosk.keyboard.press('Enter')
        await eventually(async () => assert.equal(await visibleText(byTest(kiosk, 'kiosk-student-no')), studentNo.slice(0, -1)))
        await tabTo(kiosk, `[data-test="kiosk-key-${studentNo.slice(-1)}"]`, { shift: true })
        await kiosk.keyboard.press('Space')
        await eventually(async () => assert.equal(await visibleText(byTest(kiosk, 'kiosk-student-no')), studentNo))
        const answer = kiosk.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST')
        await tabTo(kiosk, '[data-test="kiosk-take"]')
        await kiosk.keyboard.press('Space')
        const res = await answer
        if (res.status() === 200 || res.status() === 201) {
          ticket = await res.json()
          break
        }
        // Refused for this item (a period or quota): back to the start with the keyboard.
        await byTest(kiosk, 'kiosk-refused').waitFor()
        await tabTo(kiosk, '[data-test="kiosk-refused"] button')
        await kiosk.keyboard.press('Enter')
        await byTest(kiosk, 'kiosk-items').waitFor()
      }
      assert.ok(ticket && ticket.number, 'a number was taken at the kiosk with the keyboard')
      await eventually(async () => assert.equal(await visibleText(byTest(kiosk, 'kiosk-ticket-number')), ticket.number))
      assert.equal(await activeTest(kiosk), 'kiosk-ticket', 'the ticket screen takes the focus')
      await tabTo(kiosk, '[data-test="kiosk-done"]')
      await kiosk.keyboard.press('Enter')
      await byTest(kiosk, 'kiosk-items').waitFor()
      await kioskCtx.close()

      // ---- the console, staff01 at window 1
      await login(page, USERS.staff)
      const windows = await apiFromPage(page, 'GET', `/windows?hall_id=${HALL_ID}`)
      const win = ((windows.json && (windows.json.items || windows.json)) || []).find((w) => Number(w.number) === 1)
      assert.ok(win, 'window 1')
      // Set-up, not under test: nothing left in progress at window 1 from other tests.
      const open = await apiFromPage(page, 'GET', `/tickets?window_id=${win.id}&page_size=50`)
      for (const x of (open.json && open.json.items) || []) {
        if (x.status === 'called') await apiFromPage(page, 'POST', `/tickets/${x.id}/start`, {})
        if (x.status === 'called' || x.status === 'serving') await apiFromPage(page, 'POST', `/tickets/${x.id}/finish`, { outcome: 'done' })
      }
      await page.goto(`/queue/console/${win.id}`)
      await byTest(page, 'console-page').waitFor()
      await page.locator('[data-test="console-open-session"], [data-test="console-close-session"]').first().waitFor()
      if (await byTest(page, 'console-open-session').count()) {
        await tabTo(page, '[data-test="console-open-session"]')
        await page.keyboard.press('Enter')
        await byTest(page, 'console-close-session').waitFor()
      }
      // Call numbers until ours (others may wait before it), each with Tab + Enter, then
      // start (Space), finish (Enter), pick the outcome (Space) and confirm (Enter).
      for (let i = 0; i < 40; i++) {
        await eventually(async () => assert.equal(await byTest(page, 'console-call-next').isEnabled(), true))
        await tabTo(page, '[data-test="console-call-next"]')
        await page.keyboard.press('Enter')
        const number = await eventually(async () => {
          const n = await visibleText(byTest(page, 'current-number'))
          assert.ok(n)
          return n
        })
        await eventually(async () => assert.equal(await byTest(page, 'console-start').isEnabled(), true))
        await tabTo(page, '[data-test="console-start"]')
        await page.keyboard.press('Space')
        await eventually(async () => assert.equal(await byTest(page, 'console-finish').isEnabled(), true))
        await tabTo(page, '[data-test="console-finish"]')
        await page.keyboard.press('Enter')
        await byTest(page, 'finish-dialog').waitFor()
        await tabTo(page, '[data-test="outcome-done"]')
        await page.keyboard.press('Space')
        await eventually(async () => assert.equal(await byTest(page, 'outcome-done').getAttribute('aria-pressed'), 'true'))
        await tabTo(page, '[data-test="finish-confirm"]')
        await page.keyboard.press('Enter')
        await byTest(page, 'finish-dialog').waitFor({ state: 'hidden' })
        await eventually(async () => assert.equal(await byTest(page, 'current-number').count(), 0))
        if (number === ticket.number) break
      }
      // WCAG 2.1.4: the single-key shortcuts can be switched off, with the keyboard too.
      await tabTo(page, '[data-test="console-single-keys"] input')
      await page.keyboard.press('Space')
      await eventually(async () => assert.equal(await page.evaluate(() => localStorage.getItem('hall.console.singleKeys')), '0'))
      assert.equal(await page.locator('[data-test="console-single-keys"] input').getAttribute('aria-checked'), 'false')

      const done = await apiFromPage(page, 'GET', `/tickets/${ticket.id}`)
      assert.equal(done.json && done.json.status, 'done', `the kiosk's ticket was served to the end (${JSON.stringify(done.json && done.json.status)})`)
    } finally {
      await restore()
    }
  },
  { timeout: 180_000 },
)
