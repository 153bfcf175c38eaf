// Device sign-in for the hall's kiosk (自助取号机) and display board (叫号显示屏):
// an administrator pastes the device token once (shown in 管理 › 设备 when the
// device is created or its token rotated); it is kept in this browser's
// localStorage and sent as `Authorization: Bearer …` on every request.
import { ApiError } from '../../api.js'
import { createClient } from './client.js'

const key = (kind) => `hall.device.${kind}.token`

export function deviceToken(kind) {
  try {
    return localStorage.getItem(key(kind)) || ''
  } catch {
    return ''
  }
}

export function saveDeviceToken(kind, token) {
  localStorage.setItem(key(kind), token)
}

export function clearDeviceToken(kind) {
  try {
    localStorage.removeItem(key(kind))
  } catch {
    /* ignore */
  }
}

/** A client that signs its requests with the stored token of this device kind. */
export function deviceClient(kind, onUnauthorized) {
  return createClient({ bearer: () => deviceToken(kind), onUnauthorized })
}

/**
 * Check a token against GET /auth/me: it must belong to a device of this kind.
 * Resolves to { device: {id, kind, name, hall_id, window_id}, hall }.
 */
export async function verifyDevice(kind, token) {
  const me = await createClient({ bearer: token }).get('/auth/me')
  if (!me || !me.device) throw new ApiError({ status: 403, code: 'not_a_device', message: '' })
  if (me.device.kind !== kind) throw new ApiError({ status: 403, code: 'wrong_device_kind', message: '' })
  return me
}

/** Per-device option in localStorage (e.g. kiosk auto-print). */
export function deviceOption(kind, name, fallback) {
  try {
    const v = localStorage.getItem(`hall.device.${kind}.${name}`)
    return v === null ? fallback : JSON.parse(v)
  } catch {
    return fallback
  }
}
export function setDeviceOption(kind, name, value) {
  try {
    localStorage.setItem(`hall.device.${kind}.${name}`, JSON.stringify(value))
  } catch {
    /* ignore */
  }
}
