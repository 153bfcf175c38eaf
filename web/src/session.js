// The signed-in user, their permissions and hall, as told by GET /auth/session
// (GET /auth/me's answer, but 200 {signed_in:false} instead of a 401 when
// nobody is signed in: anonymous pages log no error).
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'

export const session = reactive({
  loaded: false,
  user: null,
  permissions: [],
  hall: null,
})

function apply(me) {
  session.user = me.user || null
  session.permissions = Array.isArray(me.permissions) ? me.permissions : []
  session.hall = me.hall || null
  if (me.csrf_token) setCsrfToken(me.csrf_token)
  session.loaded = true
}

export function clearSession() {
  session.user = null
  session.permissions = []
  session.hall = null
  session.loaded = true
  setCsrfToken('')
}

/** Load the session; resolves to the user or null when not signed in. */
export async function loadSession() {
  try {
    const me = await api.get('/auth/session')
    if (me && me.signed_in === false) {
      clearSession()
      session.hall = me.hall || null
    } else apply(me)
  } catch (e) {
    if (e.status === 401 || e.status === 403) clearSession()
    else throw e
  }
  return session.user
}

export async function login(loginName, password) {
  const res = await api.post('/auth/login', { login: loginName, password })
  if (res && res.csrf_token) setCsrfToken(res.csrf_token)
  // The login answer has no permission list: ask /auth/me for the full picture
  // (signed in now, so no 401 to expect).
  try {
    apply(await api.get('/auth/me'))
  } catch (e) {
    if (e.status === 401 || e.status === 403) clearSession()
    else throw e
  }
  if (!session.user && res && res.user) session.user = res.user
  return session.user
}

export async function logout() {
  try {
    await api.post('/auth/logout', {})
  } finally {
    clearSession()
  }
}

/** can('users.read') or can(['org.read', 'org.write']) (any of). Empty → allowed. */
export function can(permission) {
  if (!permission || (Array.isArray(permission) && permission.length === 0)) return true
  const list = Array.isArray(permission) ? permission : [permission]
  return list.some((p) => session.permissions.includes(p))
}
