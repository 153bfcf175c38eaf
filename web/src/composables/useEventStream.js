// Live updates from a Server-Sent Events endpoint, with a polling fallback.
//
//   const { state } = useEventStream(() => `/api/v1/halls/${id}/board/events`, {
//     fetchSnapshot: () => api.get(`/halls/${id}/board`),   // same shape as the `snapshot` event
//     handlers: { snapshot(data) {…}, called(data) {…}, waiting(data) {…} },
//     headers: { Authorization: 'Bearer …' },               // optional: device pages
//   })
//
// - Without extra headers it uses the browser's EventSource, which reconnects by
//   itself and sends Last-Event-ID so the server replays what was missed.
//   With headers (a device token: EventSource cannot send Authorization) it
//   reads the stream through fetch and does the same by hand.
// - `snapshot` events (sent first on every connection) and `reset` (the gap was
//   too old to replay: refetch) both end in handlers.snapshot(data).
// - When the stream is down (after `maxFailures` failed connects, or when
//   EventSource is unavailable) it polls fetchSnapshot every `pollMs` and stops
//   polling as soon as the stream is back.
// - state: 'connecting' | 'live' | 'polling' | 'offline' (for a small indicator).
import { onBeforeUnmount, ref, unref, watch } from 'vue'

const RECONNECT_MIN_MS = 2000
const RECONNECT_MAX_MS = 30000

function parseData(text) {
  if (text === undefined || text === null || text === '') return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Parse an SSE byte stream (fetch mode). Calls onEvent({id,event,data}) per event, onRetry(ms). */
export function createSseParser(onEvent, onRetry, onComment) {
  let buffer = ''
  let data = []
  let event = ''
  let id = null
  function dispatch() {
    if (data.length) onEvent({ id, event: event || 'message', data: data.join('\n') })
    data = []
    event = ''
  }
  function line(l) {
    if (l === '') return dispatch()
    if (l.startsWith(':')) return onComment && onComment(l.slice(1))
    const i = l.indexOf(':')
    const field = i < 0 ? l : l.slice(0, i)
    let value = i < 0 ? '' : l.slice(i + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    else if (field === 'id') id = value
    else if (field === 'retry' && /^\d+$/.test(value)) onRetry && onRetry(Number(value))
  }
  return {
    push(chunk) {
      buffer += chunk
      let nl
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const l = buffer.slice(0, nl)
        const len = buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1
        buffer = buffer.slice(nl + len)
        line(l)
      }
    },
    get lastId() {
      return id
    },
  }
}

export function useEventStream(url, options = {}) {
  const {
    fetchSnapshot = null,
    handlers = {},
    headers = null,
    pollMs = 3000,
    maxFailures = 2,
    autoStart = true,
  } = options

  const state = ref('connecting')
  const lastEventAt = ref(0)
  let es = null
  let abort = null
  let failures = 0
  let pollTimer = null
  let reconnectTimer = null
  let stopped = false
  let lastId = null
  let retryMs = RECONNECT_MIN_MS
  let pollBusy = false

  const resolveUrl = () => (typeof url === 'function' ? url() : unref(url))
  const resolveHeaders = () => (typeof headers === 'function' ? headers() : unref(headers))

  function call(type, data) {
    const fn = handlers[type]
    if (fn) {
      try {
        fn(data)
      } catch (e) {
        console.warn(`event handler ${type} failed`, e) // eslint-disable-line no-console
      }
    }
  }

  async function refresh() {
    if (!fetchSnapshot) return null
    const data = await fetchSnapshot()
    call('snapshot', data)
    return data
  }

  function onEvent(type, rawData) {
    lastEventAt.value = Date.now()
    if (type === 'reset') {
      refresh().catch(() => {})
      return
    }
    call(type, parseData(rawData))
  }

  // ---- live ----
  function markLive() {
    failures = 0
    retryMs = RECONNECT_MIN_MS
    state.value = 'live'
    stopPolling()
  }

  function markFailure() {
    failures++
    if (failures >= maxFailures || typeof navigator !== 'undefined' && navigator.onLine === false) startPolling()
  }

  function scheduleReconnect(delay) {
    clearTimeout(reconnectTimer)
    if (stopped) return
    reconnectTimer = setTimeout(connect, delay)
  }

  function connect() {
    closeStream()
    if (stopped) return
    const u = resolveUrl()
    if (!u) return
    const h = resolveHeaders()
    if (h && Object.keys(h).length) return connectFetch(u, h)
    if (typeof window === 'undefined' || typeof window.EventSource !== 'function') {
      startPolling()
      return
    }
    const source = new EventSource(u, { withCredentials: true })
    es = source
    source.onopen = () => {
      if (es === source) markLive()
    }
    source.onerror = () => {
      if (es !== source) return
      markFailure()
      // CONNECTING: the browser retries by itself (with Last-Event-ID).
      // CLOSED: it gave up (an HTTP error, not an event stream): retry ourselves, backing off.
      if (source.readyState === 2) {
        source.close()
        es = null
        scheduleReconnect(retryMs)
        retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS)
      }
    }
    const listen = (type) => source.addEventListener(type, (e) => es === source && onEvent(type, e.data))
    listen('snapshot')
    listen('reset')
    listen('message')
    for (const type of Object.keys(handlers)) if (!['snapshot', 'reset', 'message'].includes(type)) listen(type)
  }

  async function connectFetch(u, h) {
    const ctrl = new AbortController()
    abort = ctrl
    let opened = false
    try {
      const reqHeaders = { Accept: 'text/event-stream', ...h }
      if (lastId !== null && lastId !== '') reqHeaders['Last-Event-ID'] = lastId
      const res = await fetch(u, { headers: reqHeaders, credentials: 'omit', cache: 'no-store', signal: ctrl.signal })
      if (!res.ok || !res.body || !(res.headers.get('content-type') || '').includes('text/event-stream')) {
        throw new Error(`stream ${res.status}`)
      }
      opened = true
      markLive()
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      const parser = createSseParser(
        (ev) => {
          if (ev.id !== null) lastId = ev.id
          onEvent(ev.event, ev.data)
        },
        (ms) => (retryMs = Math.max(500, ms)),
      )
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        parser.push(decoder.decode(value, { stream: true }))
      }
    } catch (e) {
      if (ctrl.signal.aborted) return
    }
    if (abort !== ctrl || stopped) return
    abort = null
    // The stream ended or failed: reconnect (Last-Event-ID catches up).
    if (!opened) markFailure()
    else state.value = 'connecting'
    const delay = opened ? RECONNECT_MIN_MS : retryMs
    if (!opened) retryMs = Math.min(retryMs * 2, RECONNECT_MAX_MS)
    scheduleReconnect(delay)
  }

  function closeStream() {
    if (es) {
      es.close()
      es = null
    }
    if (abort) {
      const a = abort
      abort = null
      a.abort()
    }
  }

  // ---- polling fallback ----
  async function pollOnce() {
    if (pollBusy || !fetchSnapshot) return
    pollBusy = true
    try {
      await refresh()
      if (state.value !== 'live') state.value = 'polling'
    } catch {
      if (state.value !== 'live') state.value = 'offline'
    } finally {
      pollBusy = false
    }
  }

  function startPolling() {
    if (pollTimer || stopped) {
      if (!fetchSnapshot && state.value !== 'live') state.value = 'offline'
      return
    }
    if (!fetchSnapshot) {
      state.value = 'offline'
      return
    }
    state.value = 'polling'
    pollOnce()
    pollTimer = setInterval(pollOnce, pollMs)
  }

  function stopPolling() {
    if (pollTimer) {
      clearInterval(pollTimer)
      pollTimer = null
    }
  }

  function onOnline() {
    if (state.value !== 'live') {
      retryMs = RECONNECT_MIN_MS
      connect()
    }
  }
  function onOffline() {
    if (state.value === 'live') return // the stream's own error will tell
    startPolling()
  }

  function start() {
    stopped = false
    failures = 0
    state.value = 'connecting'
    connect()
  }

  function stop() {
    stopped = true
    clearTimeout(reconnectTimer)
    stopPolling()
    closeStream()
  }

  /** Drop the current connection and connect again (e.g. the URL changed). */
  function restart() {
    stop()
    lastId = null
    start()
  }

  if (typeof window !== 'undefined') {
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
  }
  if (autoStart) start()
  if (typeof url === 'function' || (url && typeof url === 'object' && 'value' in url)) {
    watch(resolveUrl, (next, prev) => {
      if (next !== prev && !stopped) restart()
    })
  }

  onBeforeUnmount(() => {
    stop()
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', onOnline)
      window.removeEventListener('offline', onOffline)
    }
  })

  return { state, lastEventAt, refresh, start, stop, restart }
}
