// A tiny test registry: spec files call test(name, fn); run.mjs runs them.
// Each test gets a fresh browser context (own cookies and localStorage).
export const registry = []

/**
 * test('name', async ({ page, context, baseURL, file }) => { ... }, { timeout })
 */
export function test(name, fn, options = {}) {
  registry.push({ name, fn, timeout: options.timeout ?? 60_000, file: currentFile })
}

let currentFile = ''
export function setCurrentFile(f) {
  currentFile = f
}
