// Reference lists used by selects (halls, units, colleges), loaded once per page.
import { ref } from 'vue'
import { fetchAll } from '../api.js'
import { showError } from '../notify.js'
import { localName } from '../format.js'

export function useRefList(path) {
  const items = ref([])
  const loaded = ref(false)
  async function load() {
    try {
      items.value = await fetchAll(path)
      loaded.value = true
    } catch (e) {
      showError(e)
    }
  }
  function nameOf(id) {
    if (id === null || id === undefined || id === '') return ''
    const rec = items.value.find((x) => String(x.id) === String(id))
    return rec ? localName(rec) : `#${id}`
  }
  return { items, loaded, load, nameOf }
}
