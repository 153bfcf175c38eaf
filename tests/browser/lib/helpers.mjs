// Helpers shared by the browser specs.
import assert from 'node:assert/strict'

export { assert }

// Demo accounts created by `hall serve --demo`.
export const USERS = {
  admin: { login: 'admin', password: 'admin123' },
  student: { login: '2023001001', password: 'student123' },
  staff: { login: 'staff01', password: 'staff123' },
  teacher: { login: 'teacher', password: 'teacher123' },
}

/** Locator for an element carrying data-test="id". */
export const byTest = (page, id) => page.locator(`[data-test="${id}"]`)

/**
 * The text input of a form field marked data-test="id". Element Plus puts the
 * attribute on the <input> itself for el-input, on a wrapper for others.
 */
export const field = (page, id) =>
  page.locator(`input[data-test="${id}"], textarea[data-test="${id}"], [data-test="${id}"] input`).first()

/** Sign in through the login page and wait for the home page. */
export async function login(page, user) {
  await page.goto('/login')
  await field(page, 'login-name').fill(user.login)
  const pw = field(page, 'login-password')
  await pw.fill(user.password)
  await pw.press('Enter') // the form submits on Enter
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15_000 })
  await byTest(page, 'home-greeting').waitFor({ state: 'visible', timeout: 15_000 })
}

/**
 * Retry an async assertion until it passes or `timeout` ms have gone by (then its
 * last error is thrown): for content that arrives after the element is on the page
 * (a form filled from a request, a table that loads after its header shows).
 */
export async function eventually(fn, timeout = 10_000) {
  const end = Date.now() + timeout
  for (;;) {
    try {
      return await fn()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

/** Wait until the locator is visible and return its text. */
export async function visibleText(locator, timeout = 10_000) {
  await locator.first().waitFor({ state: 'visible', timeout })
  return (await locator.first().innerText()).trim()
}

/** Call the API from inside the page (same cookies; CSRF token from /auth/me). */
export async function apiFromPage(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await fetch('/api/v1/auth/me', { credentials: 'same-origin' })
      const csrf = me.ok ? (await me.json()).csrf_token : ''
      const res = await fetch(`/api/v1${path}`, {
        method,
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf || '' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      let json = null
      try {
        json = await res.json()
      } catch {
        json = null
      }
      return { status: res.status, json }
    },
    { method, path, body },
  )
}
