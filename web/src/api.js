// Thin fetch wrapper for the Hall API (/api/v1).
//
// - cookie session (credentials: 'same-origin'); the CSRF token obtained from
//   POST /auth/login or GET /auth/me is sent as X-CSRF-Token on every non-GET;
// - every request carries Accept-Language (zh-CN or en) so the server answers
//   (and words its errors) in the user's language;
// - error responses {"error":{"code","message","field"}} become ApiError;
// - a 401 hands over to the registered unauthorized handler (→ login page).

export const API_BASE = '/api/v1'

let csrfToken = ''
let languageProvider = () => 'zh-CN'
let unauthorizedHandler = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

export function setLanguageProvider(fn) {
  languageProvider = fn
}

export function onUnauthorized(fn) {
  unauthorizedHandler = fn
}

export class ApiError extends Error {
  constructor({ status = 0, code = 'error', message = '', field = '' } = {}) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || ''
  }
}

function buildUrl(path, query) {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.append(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

// Paths where a 401 is an answer to show, not a lost session.
const NO_REDIRECT_ON_401 = ['/auth/login', '/auth/me', '/auth/logout']

async function parseError(res) {
  let payload = null
  try {
    payload = await res.json()
  } catch {
    payload = null
  }
  const e = payload && payload.error ? payload.error : {}
  return new ApiError({
    status: res.status,
    code: e.code || `http_${res.status}`,
    message: e.message || `${res.status} ${res.statusText || ''}`.trim(),
    field: e.field || '',
  })
}

/**
 * request('GET', '/users', { query: { q, page } })
 * request('POST', '/users', { body: {...} })              JSON body
 * request('POST', '/users/import', { raw: file, contentType: 'text/csv' })
 * Options: responseType 'json' (default) | 'blob' | 'text' | 'response'.
 */
export async function request(method, path, opts = {}) {
  const { query, body, raw, contentType, responseType = 'json', signal } = opts
  const headers = { Accept: 'application/json', 'Accept-Language': languageProvider() }
  const init = { method, headers, credentials: 'same-origin', signal }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  if (raw !== undefined) {
    init.body = raw
    if (contentType) headers['Content-Type'] = contentType
  } else if (body !== undefined) {
    init.body = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }

  let res
  try {
    res = await fetch(buildUrl(path, query), init)
  } catch (err) {
    if (err && err.name === 'AbortError') throw err
    throw new ApiError({ status: 0, code: 'network_error', message: '' })
  }

  if (!res.ok) {
    const error = await parseError(res)
    if (res.status === 401 && unauthorizedHandler && !NO_REDIRECT_ON_401.includes(path)) {
      unauthorizedHandler(error)
    }
    throw error
  }
  if (responseType === 'response') return res
  if (responseType === 'blob') return res.blob()
  if (responseType === 'text') return res.text()
  if (res.status === 204) return null
  const text = await res.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    throw new ApiError({ status: res.status, code: 'bad_response', message: '' })
  }
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  upload: (path, file, contentType, query) =>
    request('POST', path, { raw: file, contentType, query }),
  url: buildUrl,
}

/** Fetch every page of a list endpoint (for small reference lists: halls, units, colleges). */
export async function fetchAll(path, query = {}, pageSize = 200) {
  const items = []
  for (let page = 1; page <= 50; page++) {
    const res = await api.get(path, { ...query, page, page_size: pageSize })
    const batch = (res && res.items) || []
    items.push(...batch)
    const total = res && typeof res.total === 'number' ? res.total : items.length
    if (items.length >= total || batch.length < pageSize) break
  }
  return items
}
