// The queue (A5, A6, B6.5): kiosk → board → window console → ticket status page,
// and a student taking a number on the phone.
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from '../lib/harness.mjs'
import { HALL_ID, ensureHallOpen } from '../lib/hall.mjs'
import { assert, USERS, byTest, field, login, visibleText, apiFromPage, eventually } from '../lib/helpers.mjs'

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts')
const shot = (page, name) => page.screenshot({ path: join(ARTIFACTS, `queue--${name}.png`), fullPage: true }).catch(() => {})

const KIOSK_TOKEN = 'demo-kiosk-token-0001-hall-main'
const BOARD_TOKEN = 'demo-board-token-0001-hall-main'

/** A service item of the demo catalog served at window 1 of the hall, open for taking numbers. */
async function itemAtWindow1(request) {
  const res = await request.get(`/api/v1/public/catalog?page_size=200`)
  assert.equal(res.status(), 200, 'public catalog answers')
  const items = (await res.json()).items || []
  const atWindow1 = items.filter(
    (it) =>
      !it.suspended &&
      it.handling_mode !== 'online' &&
      (it.windows || []).some((w) => Number(w.number) === 1 && Number(w.hall_id) === HALL_ID),
  )
  assert.ok(atWindow1.length, 'the demo catalog has items served at window 1')
  // Prefer an item without application periods (always open) and without a daily quota.
  atWindow1.sort((a, b) => (a.periods || []).length - (b.periods || []).length)
  return atWindow1
}

async function setUpDevice(page, path, token) {
  await page.goto(path)
  const input = field(page, 'device-token-input')
  await input.waitFor()
  await input.fill(token)
  await byTest(page, 'device-token-save').click()
}

test(
  'kiosk number → console call-next key → the board shows it within a second, the status page says go to window 1',
  async ({ page, context, baseURL }) => {
    const restore = await ensureHallOpen(context, baseURL)
    try {
      const items = await itemAtWindow1(context.request)
      // A student unlikely to hold a ticket already (2023001002…2023001300).
      const studentNo = String(2023001002 + Math.floor(Math.random() * 299))

      // ---- kiosk: set up with its device token, pick the item, key in the 学号, take a number
      await setUpDevice(page, '/kiosk', KIOSK_TOKEN)
      await byTest(page, 'kiosk-items').waitFor()
      let ticket = null
      let takeKey = ''
      for (const item of items) {
        const tile = byTest(page, `kiosk-item-${item.id}`)
        await tile.waitFor()
        await tile.click()
        await byTest(page, 'kiosk-student-no').waitFor()
        for (const d of studentNo) await byTest(page, `kiosk-key-${d}`).click()
        await eventually(async () => assert.equal(await visibleText(byTest(page, 'kiosk-student-no')), studentNo))
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST')
        await byTest(page, 'kiosk-take').click()
        const res = await answer
        const key = res.request().headers()['idempotency-key']
        assert.ok(key && key.length >= 8, 'the kiosk sends an Idempotency-Key')
        assert.match(res.request().headers()['authorization'] || '', /^Bearer /, 'the kiosk signs with its device token')
        if (res.status() === 201 || res.status() === 200) {
          ticket = await res.json()
          takeKey = key
          break
        }
        // Refused (e.g. a period or quota of this item): the reason is on screen; try the next item.
        const body = await res.json().catch(() => ({}))
        const reason = await visibleText(byTest(page, 'kiosk-refusal'))
        assert.ok(reason.length > 0, `the refusal is shown (${body.error && body.error.code})`)
        await page.getByRole('button', { name: /返回首页/ }).click()
      }
      assert.ok(ticket && ticket.number && ticket.status_token, 'a ticket was taken at the kiosk')
      const number = ticket.number
      await eventually(async () => assert.equal(await visibleText(byTest(page, 'kiosk-ticket-number')), number))
      await shot(page, 'kiosk-ticket')

      // The same Idempotency-Key again gives the same ticket (200), never a second one;
      // a new key for the same student and item is refused: they already hold a number.
      const post = (key) =>
        page.evaluate(
          async ({ itemId, studentNo, key, token }) => {
            const r = await fetch('/api/v1/tickets', {
              method: 'POST',
              credentials: 'omit',
              headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': key },
              body: JSON.stringify({ item_id: itemId, student_no: studentNo }),
            })
            return { status: r.status, json: await r.json() }
          },
          { itemId: ticket.item_id, studentNo, key, token: KIOSK_TOKEN },
        )
      const same = await post(takeKey)
      assert.equal(same.status, 200, 'a repeated key answers 200')
      assert.equal(same.json.id, ticket.id, 'a repeated key returns the same ticket')
      const fresh = await post(`e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`)
      assert.equal(fresh.status, 409, `a second ticket for the same item is refused (${JSON.stringify(fresh.json)})`)
      assert.equal(fresh.json.error.code, 'already_holding_ticket')

      // ---- the printed ticket (80 mm layout)
      const print = await context.newPage()
      await print.setViewportSize({ width: 320, height: 700 })
      await print.goto(`/print/ticket/${ticket.status_token}?autoprint=0`)
      await eventually(async () => assert.equal(await visibleText(byTest(print, 'print-number')), number))
      await byTest(print, 'print-qr').waitFor()
      await shot(print, 'print-ticket')
      await print.close()

      // ---- the board, on its own page
      const board = await context.newPage()
      await setUpDevice(board, '/board', BOARD_TOKEN)
      await board.waitForURL(new RegExp(`/board/${HALL_ID}$`))
      await byTest(board, 'board').waitFor()
      await board.locator('[data-conn][data-test="conn-live"]').waitFor({ timeout: 10_000 })

      // ---- the status page (no login), live
      const status = await context.newPage()
      await status.setViewportSize({ width: 390, height: 844 })
      await status.goto(`/t/${ticket.status_token}`)
      await eventually(async () => assert.equal(await visibleText(byTest(status, 'ticket-number')), number))
      await status.locator('[data-conn][data-test="conn-live"]').waitFor({ timeout: 10_000 })

      // ---- staff01 at window 1
      const staff = await context.newPage()
      await login(staff, USERS.staff)
      const windows = await apiFromPage(staff, 'GET', `/windows?hall_id=${HALL_ID}&page_size=200`)
      const window1 = windows.json.items.find((w) => Number(w.number) === 1)
      assert.ok(window1, 'window 1 exists')
      await staff.goto('/queue/console')
      await byTest(staff, 'console-open-1').click()
      await staff.waitForURL(new RegExp(`/queue/console/${window1.id}$`))
      await byTest(staff, 'console-page').waitFor()
      await staff.waitForFunction(() => {
        const el = document.querySelector('[data-test="served-today"]')
        return el && el.textContent.trim() !== '–'
      })
      // Sign in at the window unless already signed in.
      const openBtn = byTest(staff, 'console-open-session')
      await staff.waitForFunction(
        () => document.querySelector('[data-test="console-open-session"]') || document.querySelector('[data-test="console-close-session"]'),
      )
      if (await openBtn.count()) {
        await openBtn.click()
        await byTest(staff, 'console-close-session').waitFor()
      }
      // Resume if a previous run left the window paused.
      if (await byTest(staff, 'console-paused').count()) {
        await staff.keyboard.press('p')
        await byTest(staff, 'console-paused').waitFor({ state: 'detached' })
      }

      const finishCurrent = async () => {
        if (!(await byTest(staff, 'current-number').count())) return
        await staff.keyboard.press('f')
        await byTest(staff, 'finish-confirm').waitFor()
        await staff.keyboard.press('1')
        await staff.keyboard.press('Enter')
        await byTest(staff, 'current-number').waitFor({ state: 'detached' })
      }

      // Call until our number comes (earlier tickets of this window are served first).
      let calledAt = 0
      let seenAt = 0
      for (let i = 0; i < 60 && !seenAt; i++) {
        await finishCurrent()
        await staff.locator('[data-test="console-call-next"]:not(.is-disabled)').waitFor()
        const onBoard = board
          .waitForFunction(
            (n) => {
              const el = document.querySelector('[data-test="board-latest-number"]')
              return el && el.textContent.trim() === n
            },
            number,
            { timeout: 5000, polling: 20 },
          )
          .then(() => Date.now())
        onBoard.catch(() => {})
        calledAt = Date.now()
        await staff.keyboard.press(i % 2 ? 'Space' : 'F1') // both keys call the next number
        const current = await visibleText(byTest(staff, 'current-number'))
        if (current === number) seenAt = await onBoard
      }
      assert.ok(seenAt, `${number} was called at window 1`)
      const ms = seenAt - calledAt
      assert.ok(ms < 1000, `the board shows ${number} ${ms} ms after the key press (limit 1000 ms)`)
      console.log(`  # board showed ${number} ${ms} ms after the call-next key`)
      await eventually(async () => assert.match(await visibleText(byTest(board, 'board-latest-window')), /1\s*号窗口/))
      await eventually(async () => assert.match(await visibleText(byTest(board, 'board-spoken')), new RegExp(`请\\s*${number}\\s*号到\\s*1\\s*号窗口办理`)))

      // The student's status page says: go to window 1.
      const banner = byTest(status, 'ticket-called')
      assert.match(await visibleText(banner, 3000), /请到\s*1\s*号窗口/)

      // The console shows the student's record.
      await eventually(async () => assert.match(await visibleText(byTest(staff, 'current-student')), new RegExp(studentNo)))

      await shot(board, 'board')
      await shot(status, 'ticket-status-called')
      await shot(staff, 'console')

      // Start and finish with the keyboard: S, then F → 1 (done) → Enter.
      await staff.keyboard.press('s')
      await staff.waitForFunction(() => /办理中/.test(document.querySelector('[data-test="current-status"]')?.textContent || ''))
      await finishCurrent()
      await status.waitForFunction(() => document.querySelector('[data-test="live-ticket"]')?.dataset.status === 'done', null, {
        timeout: 5000,
      })
      await board.close()
      await status.close()
      await staff.close()
    } finally {
      await restore()
    }
  },
  { timeout: 180_000 },
)

test(
  'a student takes a number on the phone and sees it in my tickets',
  async ({ page, context, baseURL }) => {
    const restore = await ensureHallOpen(context, baseURL)
    try {
      await page.setViewportSize({ width: 390, height: 844 })
      await login(page, USERS.student)
      // Leave any number this student still holds (earlier runs), so taking again is allowed.
      const mine = await apiFromPage(page, 'GET', '/tickets/mine')
      assert.equal(mine.status, 200)
      for (const tk of mine.json.items || [])
        if (tk.status === 'waiting') await apiFromPage(page, 'POST', `/tickets/${tk.id}/cancel`, {})
      const busy = new Set((mine.json.items || []).filter((tk) => ['called', 'serving'].includes(tk.status)).map((tk) => tk.item_id))

      // The menu has 取号/预约.
      await byTest(page, 'open-menu').click()
      await byTest(page, 'menu-queue-take').click()
      await page.waitForURL(/\/queue\/take$/)
      await byTest(page, 'queue-take-page').waitFor()

      const items = (await itemAtWindow1(context.request)).filter((it) => !busy.has(it.id))
      let ticket = null
      for (const item of items) {
        const btn = byTest(page, `take-${item.id}`)
        await btn.scrollIntoViewIfNeeded()
        await btn.click()
        const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/tickets') && r.request().method() === 'POST')
        await page.locator('.el-message-box__btns .el-button--primary').click()
        const res = await answer
        assert.ok(res.request().headers()['idempotency-key'], 'the phone sends an Idempotency-Key')
        if (res.ok()) {
          ticket = await res.json()
          break
        }
        await page.locator('.el-dialog .el-alert--error').waitFor()
        await page.keyboard.press('Escape')
      }
      assert.ok(ticket, 'a number was taken on the phone')
      assert.equal(ticket.channel, 'mobile')
      await eventually(async () => assert.equal(await visibleText(byTest(page, 'taken-number')), ticket.number))
      await shot(page, 'phone-taken')

      await page.goto('/queue/mine')
      const card = byTest(page, `my-ticket-${ticket.number}`)
      await card.waitFor()
      assert.match(await card.innerText(), new RegExp(ticket.number))
      assert.match(await card.innerText(), /等待中/)
      await card.locator('[data-conn][data-test="conn-live"]').waitFor({ timeout: 10_000 })

      // Clean up: leave the queue again.
      await byTest(page, `cancel-${ticket.number}`).click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.waitForFunction((n) => {
        const el = document.querySelector(`[data-test="my-ticket-${n}"]`)
        return el && /已取消/.test(el.textContent)
      }, ticket.number)
    } finally {
      await restore()
    }
  },
  { timeout: 120_000 },
)

test(
  'with the push channel down the status page falls back to polling and still updates',
  async ({ page, context, baseURL }) => {
    const restore = await ensureHallOpen(context, baseURL)
    try {
      await login(page, { login: '2023001003', password: 'student123' })
      const mine = await apiFromPage(page, 'GET', '/tickets/mine')
      for (const tk of mine.json.items || [])
        if (tk.status === 'waiting') await apiFromPage(page, 'POST', `/tickets/${tk.id}/cancel`, {})
      const busy = new Set((mine.json.items || []).filter((tk) => ['called', 'serving'].includes(tk.status)).map((tk) => tk.item_id))
      const items = (await itemAtWindow1(context.request)).filter((it) => !busy.has(it.id))
      // Take a number through the API (with its Idempotency-Key).
      const ticket = await page.evaluate(async (ids) => {
        const me = await (await fetch('/api/v1/auth/me')).json()
        for (const id of ids) {
          const r = await fetch('/api/v1/tickets', {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'Idempotency-Key': crypto.randomUUID() },
            body: JSON.stringify({ item_id: id }),
          })
          if (r.ok) return r.json()
        }
        return null
      }, items.map((it) => it.id))
      assert.ok(ticket, 'a number was taken')

      // The event stream is unreachable.
      const status = await context.newPage()
      await status.route('**/events', (route) => route.abort())
      await status.goto(`/t/${ticket.status_token}`)
      await eventually(async () => assert.equal(await visibleText(byTest(status, 'ticket-number')), ticket.number))
      await status.locator('[data-conn][data-test="conn-polling"]').waitFor({ timeout: 15_000 })
      // A change on the server still reaches the page (polling every 3 s).
      const cancelled = await apiFromPage(page, 'POST', `/tickets/${ticket.id}/cancel`, {})
      assert.equal(cancelled.status, 200)
      await status.waitForFunction(() => document.querySelector('[data-test="live-ticket"]')?.dataset.status === 'cancelled', null, {
        timeout: 8000,
      })
      await shot(status, 'status-polling')
      // The stream comes back: the page goes live again and stops polling.
      await status.unroute('**/events')
      await status.locator('[data-conn][data-test="conn-live"]').waitFor({ timeout: 40_000 })
      await status.close()
    } finally {
      await restore()
    }
  },
  { timeout: 120_000 },
)

test(
  'a student books an appointment slot, sees it in my appointments and cancels it',
  async ({ page, context }) => {
    await page.setViewportSize({ width: 390, height: 844 })
    await login(page, { login: '2023001005', password: 'student123' })
    const [item] = await itemAtWindow1(context.request)
    // Free earlier bookings of this student (earlier runs).
    const before = await apiFromPage(page, 'GET', '/appointments/mine')
    for (const a of before.json.items || []) if (a.status === 'booked') await apiFromPage(page, 'POST', `/appointments/${a.id}/cancel`, {})
    // The first day of the next two weeks with a free slot still ahead.
    let date = ''
    let slot = null
    for (let i = 0; i < 14 && !slot; i++) {
      const d = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + i * 86400000))
      const res = await apiFromPage(page, 'GET', `/appointments/slots?item_id=${item.id}&date=${d}`)
      const free = ((res.json && res.json.items) || []).find((s) => s.available > 0 && new Date(s.start).getTime() > Date.now() + 60000)
      if (free) {
        date = d
        slot = free
      }
    }
    assert.ok(slot, 'a free slot exists in the next two weeks')
    const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(slot.start),
    )

    await page.goto(`/queue/appointments?item=${item.id}`)
    await byTest(page, 'queue-appointments-page').waitFor()
    await byTest(page, `appt-day-${date}`).click()
    await byTest(page, `slot-${hhmm}`).click()
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/appointments') && r.request().method() === 'POST')
    await page.locator('.el-message-box__btns .el-button--primary').click()
    const res = await answer
    assert.equal(res.status(), 201, `booked (${await res.text()})`)
    const appt = await res.json()
    const row = byTest(page, `appt-${appt.id}`)
    await eventually(async () => assert.match(await visibleText(row), /已预约/))
    assert.match(await row.innerText(), new RegExp(hhmm))
    await shot(page, 'appointments')

    await row.getByRole('button', { name: '取消预约' }).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.waitForFunction((id) => /已取消/.test(document.querySelector(`[data-test="appt-${id}"]`)?.textContent || ''), appt.id)
  },
  { timeout: 90_000 },
)
