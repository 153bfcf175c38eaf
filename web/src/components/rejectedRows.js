// An import's rejected entries ({row, field, message}, one per error) grouped by
// row: "N 行有误" counts rows, and each row lists all of its errors.
export function rejectedRows(rejected) {
  const byRow = new Map()
  for (const r of rejected || []) {
    const key = r.row ?? ''
    if (!byRow.has(key)) byRow.set(key, { row: r.row, errors: [] })
    byRow.get(key).errors.push({ field: r.field || '', message: r.message || r.code || '' })
  }
  return [...byRow.values()].sort((a, b) => (Number(a.row) || 0) - (Number(b.row) || 0))
}
