// A small fetch wrapper for the queue pages, beside api.js (which it does not change):
// - device mode: a kiosk / board signs in with its device token, sent as
//   `Authorization: Bearer …` (no cookie, so an administrator's session in the
//   same browser never leaks into the device's requests);
// - cookie mode with extra headers (Idempotency-Key), taking the CSRF token
//   from GET /auth/session since api.js keeps its own private.
// Errors become api.js's ApiError ({status, code, message, field}).
import { API_BASE, ApiError } from '../../api.js'
import { currentLocale } from '../../i18n/index.js'

function lang() {
  return currentLocale() === 'en' ? 'en' : 'zh-CN'
}

function buildUrl(path, query) {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.append(k, String(v))
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

async function toError(res) {
  let payload = null
  try {
    payload = await res.json()
  } catch {
    payload = null
  }
  const e = (payload && payload.error) || {}
  return new ApiError({
    status: res.status,
    code: e.code || `http_${res.status}`,
    message: e.message || `${res.status} ${res.statusText || ''}`.trim(),
    field: e.field || '',
  })
}

let csrfCache = ''
async function csrf() {
  if (csrfCache) return csrfCache
  try {
    const res = await fetch(API_BASE + '/auth/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    if (res.ok) csrfCache = (await res.json()).csrf_token || ''
  } catch {
    /* the request itself will fail and say why */
  }
  return csrfCache
}

/**
 * createClient({ bearer: () => token })  device mode
 * createClient()                          cookie mode (CSRF from /auth/me)
 * client.request(method, path, { query, body, headers })
 */
export function createClient({ bearer = null, onUnauthorized = null } = {}) {
  async function request(method, path, { query, body, headers = {}, signal } = {}) {
    const h = { Accept: 'application/json', 'Accept-Language': lang(), ...headers }
    const init = { method, headers: h, signal, cache: 'no-store' }
    const token = typeof bearer === 'function' ? bearer() : bearer
    if (token) {
      h.Authorization = `Bearer ${token}`
      init.credentials = 'omit'
    } else {
      init.credentials = 'same-origin'
      if (method !== 'GET' && method !== 'HEAD') {
        const c = await csrf()
        if (c) h['X-CSRF-Token'] = c
      }
    }
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      h['Content-Type'] = 'application/json'
    }
    let res
    try {
      res = await fetch(buildUrl(path, query), init)
    } catch (err) {
      if (err && err.name === 'AbortError') throw err
      throw new ApiError({ status: 0, code: 'network_error', message: '' })
    }
    if (!res.ok) {
      const e = await toError(res)
      if (res.status === 403 && e.code === 'csrf_failed') csrfCache = ''
      if (res.status === 401 && onUnauthorized) onUnauthorized(e)
      throw e
    }
    if (res.status === 204) return null
    const text = await res.text()
    if (!text) return null
    try {
      const json = JSON.parse(text)
      if (json && typeof json === 'object' && !Array.isArray(json)) {
        Object.defineProperty(json, '__status', { value: res.status, enumerable: false })
      }
      return json
    } catch {
      throw new ApiError({ status: res.status, code: 'bad_response', message: '' })
    }
  }
  return {
    request,
    get: (path, query, opts) => request('GET', path, { ...opts, query }),
    post: (path, body, opts) => request('POST', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
    url: buildUrl,
    headers() {
      const token = typeof bearer === 'function' ? bearer() : bearer
      return token ? { Authorization: `Bearer ${token}`, 'Accept-Language': lang() } : null
    },
  }
}

/** A random UUID (v4) for Idempotency-Key. */
export function uuid() {
  if (typeof crypto !== 'undefined' && crypto.randomUUID) return crypto.randomUUID()
  const b = new Uint8Array(16)
  crypto.getRandomValues(b)
  b[6] = (b[6] & 0x0f) | 0x40
  b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/**
 * Take a number with an idempotency key that lives as long as the attempt:
 * retries after a network failure reuse the key, so a double tap or a lost
 * answer never gives two tickets. A new attempt (other item/student) gets a new key.
 */
export function createTaker(client) {
  let attempt = null // { sig, key }
  return {
    async take(itemId, studentNo) {
      const sig = `${itemId}|${studentNo || ''}`
      if (!attempt || attempt.sig !== sig) attempt = { sig, key: uuid() }
      const body = { item_id: itemId }
      if (studentNo) body.student_no = studentNo
      try {
        return await client.post('/tickets', body, { headers: { 'Idempotency-Key': attempt.key } })
      } catch (e) {
        // A refusal is an answer: the next try is a new attempt. A network error
        // or a server error may have taken the number: retry with the same key.
        if (e.status >= 400 && e.status < 500 && ![408, 425, 429].includes(e.status)) attempt = null
        throw e
      }
    },
    /** take(), and once more with the same key when there was no answer (network) or a
     *  server error: the number may exist already, and the same key gets it back. */
    async takeRetrying(itemId, studentNo, { pauseMs = 0 } = {}) {
      try {
        return await this.take(itemId, studentNo)
      } catch (e) {
        if (e.code !== 'network_error' && !(e.status >= 500)) throw e
        if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs))
        return this.take(itemId, studentNo)
      }
    },
    /** Forget the key: the next take() is a new attempt. */
    reset() {
      attempt = null
    },
    get key() {
      return attempt && attempt.key
    },
  }
}

export const cookieClient = createClient()
