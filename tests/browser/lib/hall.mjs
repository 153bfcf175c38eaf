// Test set-up shared by the specs that need the hall open (taking numbers, ratings).
import { assert, USERS, login, apiFromPage } from './helpers.mjs'

export const HALL_ID = 1

/**
 * The demo hall keeps office hours; browser tests run at any hour. When the hall is
 * closed now, open it all day for the test (as the administrator, through the calendar
 * API) and give back a function that restores what was there.
 */
export async function ensureHallOpen(context, baseURL) {
  const probe = await context.request.get(`/api/v1/calendar/open-now?hall=${HALL_ID}`)
  const open = probe.ok() ? await probe.json() : null
  const closesIn = open && open.closes_at ? new Date(open.closes_at).getTime() - Date.now() : 0
  if (open && open.open && closesIn > 30 * 60 * 1000) return async () => {}

  const admin = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await admin.newPage()
  await login(page, USERS.admin)
  const hours = await apiFromPage(page, 'GET', `/calendar/hours?hall=${HALL_ID}`)
  const allDay = ['00:00-23:59']
  const weekly = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, allDay]))
  const put = await apiFromPage(page, 'PUT', `/calendar/hours/${HALL_ID}`, { weekly })
  assert.ok(put.status < 300, `opening hours set for the test (${put.status} ${JSON.stringify(put.json)})`)
  // A weekend today: make it an adjusted working day (调休上班) for the test.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  let addedDay = false
  const day = await apiFromPage(page, 'GET', `/calendar/days?hall=${HALL_ID}&from=${today}&to=${today}`)
  const info = day.json && day.json.items && day.json.items[0]
  if (info && !info.working && info.reason === 'weekend') {
    const r = await apiFromPage(page, 'POST', '/calendar/holidays', { date: today, name: 'E2E 调休', off_day: false })
    addedDay = r.status === 201
  }
  return async () => {
    if (addedDay) await apiFromPage(page, 'DELETE', `/calendar/holidays/${today}`)
    if (hours.json && hours.json.custom) {
      await apiFromPage(page, 'PUT', `/calendar/hours/${HALL_ID}`, {
        weekly: hours.json.weekly,
        ...(hours.json.seasons && hours.json.seasons.length ? { seasons: hours.json.seasons } : {}),
      })
    } else {
      await apiFromPage(page, 'DELETE', `/calendar/hours/${HALL_ID}`)
    }
    await admin.close()
  }
}

