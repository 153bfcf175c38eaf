// The text of a PDF (pdf.js from npm, in Node): lines in reading order, for
// asserting what a document says (e.g. the one-time notice's numbering).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

export async function pdfLines(bytes) {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, disableFontFace: true, verbosity: 0 }).promise
  const lines = []
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p)
    const content = await page.getTextContent()
    // Items on one baseline (same y) make one line, left to right.
    const rows = new Map()
    for (const it of content.items) {
      if (!('str' in it) || !it.str) continue
      const y = Math.round(it.transform[5])
      if (!rows.has(y)) rows.set(y, [])
      rows.get(y).push({ x: it.transform[4], s: it.str })
    }
    for (const y of [...rows.keys()].sort((a, b) => b - a))
      lines.push(rows.get(y).sort((a, b) => a.x - b.x).map((i) => i.s).join('').trim())
  }
  await doc.destroy()
  return lines.filter(Boolean)
}
