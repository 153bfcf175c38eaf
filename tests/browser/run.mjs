#!/usr/bin/env node
// Browser test runner for Hall.
//
//   HALL_URL=http://127.0.0.1:18080 node run.mjs [name-filter]
//
// Drives Debian's Chromium (/usr/bin/chromium) through playwright-core; it never
// downloads a browser. Runs every specs/*.spec.mjs (capabilities add their own
// files there), each test in a fresh browser context, saves a screenshot of each
// test's final state in artifacts/, and ends with "N passed, N failed".
import { chromium } from 'playwright-core'
import { mkdirSync, readdirSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { registry, setCurrentFile } from './lib/harness.mjs'
import { axeViolations, formatViolations, nodeCount } from './lib/a11y.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const baseURL = (process.env.HALL_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '')
const filter = process.argv[2] || process.env.HALL_BROWSER_FILTER || ''
const artifacts = join(here, 'artifacts')
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
// Accessibility check of every test's final pages (axe-core, WCAG 2.1 A/AA, impact serious
// or critical): 'enforce' (default) fails the test, 'report' only prints, 'off' skips it.
const a11yMode = process.env.HALL_A11Y || 'enforce'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9\u4e00-\u9fff]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)

function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function main() {
  mkdirSync(artifacts, { recursive: true })
  const specDir = join(here, 'specs')
  const files = readdirSync(specDir)
    .filter((f) => f.endsWith('.spec.mjs'))
    .sort()
  for (const f of files) {
    setCurrentFile(f)
    await import(pathToFileURL(join(specDir, f)).href)
  }
  const tests = registry.filter((t) => !filter || `${t.file} ${t.name}`.includes(filter))
  console.log(`# Hall browser tests against ${baseURL} (${tests.length} tests in ${files.length} files)`)

  // A fresh, throw-away profile directory for this run.
  const profile = mkdtempSync(join(tmpdir(), 'hall-chromium-'))
  let browser
  let passed = 0
  let failed = 0
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, `--disk-cache-dir=${join(profile, 'cache')}`],
      env: { ...process.env, HOME: profile, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
    })
    for (const t of tests) {
      const started = Date.now()
      const context = await browser.newContext({
        baseURL,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 1366, height: 800 },
      })
      context.setDefaultTimeout(15_000)
      const page = await context.newPage()
      const problems = []
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`)
      })
      let error = null
      try {
        await withTimeout(t.fn({ page, context, baseURL }), t.timeout, t.name)
      } catch (e) {
        error = e
      }
      if (!error && a11yMode !== 'off') {
        // Whatever the test left on screen (dialogs, results, the states it reached) is
        // held to the same accessibility bar as the pages of specs/a11y.spec.mjs.
        const found = []
        for (const p of context.pages()) {
          if (p.isClosed() || !p.url().startsWith(baseURL)) continue
          try {
            found.push(...(await axeViolations(p)))
          } catch (e) {
            found.push({ id: 'axe-error', impact: 'serious', help: String(e.message || e).split('\n')[0], targets: [''], page: p.url() })
          }
        }
        if (found.length) {
          const msg = `${nodeCount(found)} serious/critical accessibility violations on the test's final page(s):\n${formatViolations(found)}`
          if (a11yMode === 'enforce') error = new Error(msg)
          else console.log(`  # ${msg.replace(/\n/g, '\n  # ')}`)
        }
      }
      const shot = join(artifacts, `${slug(t.file.replace('.spec.mjs', ''))}--${slug(t.name)}.png`)
      try {
        await page.screenshot({ path: shot, fullPage: true })
      } catch {
        /* page may be gone */
      }
      await context.close().catch(() => {})
      const ms = Date.now() - started
      if (error) {
        failed++
        console.log(`not ok - ${t.file} › ${t.name} (${ms} ms)`)
        // The whole message (an accessibility failure lists every element), then where it was thrown.
        const message = String(error.message || error).split('\n')
        const where = String(error.stack || '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 4)
        console.log(`  ${error.name || 'Error'}: ${[...message.slice(0, 80), ...(message.length > 80 ? [`… ${message.length - 80} more lines`] : []), ...where.map((l) => l.trim())].join('\n  ')}`)
        for (const p of problems.slice(0, 10)) console.log(`  ${p}`)
        console.log(`  screenshot: ${shot}`)
      } else {
        passed++
        console.log(`ok - ${t.file} › ${t.name} (${ms} ms)`)
      }
    }
  } catch (e) {
    console.log(`runner error: ${e.stack || e}`)
    failed++
  } finally {
    if (browser) await browser.close().catch(() => {})
    rmSync(profile, { recursive: true, force: true })
  }
  if (tests.length === 0) {
    console.log('no tests matched')
    failed++
  }
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

main()
