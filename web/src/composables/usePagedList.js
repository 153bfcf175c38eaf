import { reactive, ref, watch } from 'vue'
import { api } from '../api.js'
import { showError } from '../notify.js'

/**
 * A server-paginated list: GET path?...filters&page&page_size → {items,total}.
 * Changing a filter goes back to page 1 when search() is called.
 */
export function usePagedList(path, initialFilters = {}, { pageSize = 20 } = {}) {
  const filters = reactive({ ...initialFilters })
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const size = ref(pageSize)
  const loading = ref(false)
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const query = { ...filters, page: page.value, page_size: size.value }
      const res = await api.get(typeof path === 'function' ? path() : path, query)
      if (mine !== seq) return
      items.value = (res && res.items) || []
      total.value = res && typeof res.total === 'number' ? res.total : items.value.length
    } catch (e) {
      if (mine === seq) showError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    if (page.value !== 1) page.value = 1 // the watcher reloads
    else load()
  }

  function reset() {
    for (const k of Object.keys(filters)) filters[k] = initialFilters[k] ?? ''
    search()
  }

  watch([page, size], load)
  return { filters, items, total, page, size, loading, load, search, reset }
}
