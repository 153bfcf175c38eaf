// Issue 10 §4: every page is served with a Content-Security-Policy without inline
// script, refuses to be framed (the kiosk's ticket print page excepted, same
// origin only) and sends no referrer; the built app renders under that policy
// with no violation reported, signed out and signed in, charts included.
import { test } from '../lib/harness.mjs'
import { assert, USERS, login } from '../lib/helpers.mjs'

// Record every CSP violation the page reports, from before the app's first script.
async function watchViolations(page) {
  const seen = []
  await page.addInitScript(() => {
    window.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile || ''}:${e.lineNumber || ''}`)
    })
  })
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to (execute|apply|load)/i.test(m.text())) seen.push(m.text())
  })
  return seen
}

async function visit(page, path, seen) {
  const res = await page.goto(path)
  assert.equal(res.status(), 200, path)
  const h = res.headers()
  assert.match(h['content-security-policy'] || '', /script-src 'self'(;|$)/, `${path}: CSP without inline script`)
  assert.match(h['content-security-policy'], /frame-ancestors 'none'/, `${path}: no framing`)
  assert.equal(h['x-frame-options'], 'DENY', path)
  assert.equal(h['referrer-policy'], 'no-referrer', path)
  // The app rendered: the router view has content.
  await page.waitForFunction(() => document.querySelector('#app') && document.querySelector('#app').children.length > 0)
  await page.waitForLoadState('networkidle')
  const violations = await page.evaluate(() => window.__csp)
  assert.deepEqual([...violations, ...seen], [], `${path}: CSP violations`)
}

test('public pages render under the Content-Security-Policy with no violation', async ({ page }) => {
  const seen = await watchViolations(page)
  for (const path of ['/login', '/services', '/hall/windows', '/hall/hours', '/feedback/new', '/feedback/track', '/stats', '/verify', '/announcements', '/t/NO-SUCH-TOKEN']) {
    await visit(page, path, seen)
  }
})

test('staff and administrator pages (tables, dialogs, charts) render with no CSP violation', async ({ page }) => {
  const seen = await watchViolations(page)
  await login(page, USERS.admin)
  for (const path of ['/', '/admin/people', '/admin/windows', '/admin/audit', '/catalog', '/cases/desk', '/feedback/desk', '/staff/stats', '/admin/calendar', '/documents']) {
    await visit(page, path, seen)
  }
  // A dialog (Element Plus positions it with style attributes).
  await page.goto('/admin/windows')
  await page.getByRole('button', { name: /新建|新增|添加/ }).first().click()
  await page.locator('.el-dialog').first().waitFor({ state: 'visible' })
  assert.deepEqual([...(await page.evaluate(() => window.__csp)), ...seen], [], 'CSP violations in the dialog')
})

test('student pages render with no CSP violation', async ({ page }) => {
  const seen = await watchViolations(page)
  await login(page, USERS.student)
  for (const path of ['/', '/queue/take', '/queue/mine', '/cases/mine', '/my/feedback', '/documents/mine']) {
    await visit(page, path, seen)
  }
})

test('only the ticket print page may be framed, and only by the hall itself', async ({ page }) => {
  await page.goto('/login')
  const framed = async (src) =>
    page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const f = document.createElement('iframe')
          f.title = 'framing test' // a frame needs a name (WCAG 4.1.2; the runner's axe check)
          f.onload = () => {
            let ok
            try {
              ok = Boolean(f.contentDocument && f.contentDocument.location.pathname === new URL(src, location.href).pathname)
            } catch {
              ok = false // an error page of another origin: the frame was refused
            }
            resolve(ok)
          }
          f.src = src
          document.body.appendChild(f)
        }),
      src,
    )
  assert.equal(await framed('/print/ticket/NO-SUCH-TOKEN?autoprint=0'), true, 'the kiosk can frame its print page')
  assert.equal(await framed('/admin/people'), false, 'other pages refuse to be framed')
})
