// Text at 200 % (WCAG 1.4.4 Resize text): the key pages at 200 % browser zoom keep all
// their text readable: nothing cut off, no sideways scrolling of the page.
//
// How 200 % is made: Chromium's page zoom (Ctrl +) lays a W×H window out in a W/2 × H/2
// CSS-pixel viewport drawn at devicePixelRatio 2: every CSS pixel, and so all text,
// becomes twice as large on the screen, and media queries see the narrower width. The
// test opens the page in exactly that viewport (half the CSS width and height, device
// scale factor 2). A device scale factor alone would only draw sharper pixels, and a
// larger root font size would not reach the many sizes given in px.
import { test } from '../lib/harness.mjs'
import { HALL_ID } from '../lib/hall.mjs'
import { assert, USERS, login, apiFromPage } from '../lib/helpers.mjs'
import { clippedText, openSettled } from '../lib/a11y.mjs'

const zoomed = (width, height) => ({ viewport: { width: Math.round(width / 2), height: Math.round(height / 2) }, deviceScaleFactor: 2 })
const LAPTOP = zoomed(1280, 800) // a student or the public at a laptop
const CONSOLE = zoomed(1366, 800) // the window console
const KIOSK = zoomed(1920, 1080) // the kiosk's screen

const CASES = [
  { as: null, device: LAPTOP, pages: ['/login', '/services', '/hall/hours', '/feedback/new', '/verify'] },
  { as: USERS.student, device: LAPTOP, pages: ['/', '/queue/take', '/queue/mine', '/cases/mine'] },
  { as: USERS.staff, device: CONSOLE, pages: ['/', '/queue/console/:window1', '/cases/desk'] },
  { as: 'kiosk', device: KIOSK, pages: ['/kiosk'] },
]

test(
  'text at 200 %: the key pages keep every text readable (nothing cut off, no sideways scrolling)',
  async ({ context, baseURL }) => {
    const problems = []
    for (const c of CASES) {
      const ctx = await context.browser().newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...c.device })
      if (c.as === 'kiosk') await ctx.addInitScript(() => localStorage.setItem('hall.device.kiosk.token', 'demo-kiosk-token-0001-hall-main'))
      const page = await ctx.newPage()
      if (c.as && c.as.login) await login(page, c.as)
      let window1 = null
      for (let path of c.pages) {
        if (path.includes(':window1')) {
          if (!window1) {
            const w = await apiFromPage(page, 'GET', `/windows?hall_id=${HALL_ID}`)
            window1 = ((w.json && (w.json.items || w.json)) || []).find((x) => Number(x.number) === 1).id
          }
          path = path.replace(':window1', window1)
        }
        await openSettled(page, path)
        const r = await clippedText(page)
        const inner = await page.evaluate(() => window.innerWidth)
        console.log(`  # 200% ${path.padEnd(22)} viewport ${inner}px  sideways ${r.pageOverflow}px  clipped ${r.clipped.length}`)
        if (r.pageOverflow > 0) problems.push(`${path}: the page scrolls sideways by ${r.pageOverflow}px at ${inner}px`)
        for (const x of r.clipped) problems.push(`${path}: text cut off by ${x.over}px in ${x.selector} ("${x.text}")`)
      }
      await ctx.close()
    }
    assert.deepEqual(problems, [], `at 200 %:\n${problems.join('\n')}`)
  },
  { timeout: 180_000 },
)
