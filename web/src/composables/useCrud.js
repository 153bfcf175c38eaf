// The list / create / edit / delete logic the staff list pages share (components/CrudTable.vue
// and the calendar's closure and holiday tabs): load the rows, open a dialog on a blank or
// a row's form, save it (POST <path> or PATCH <path>/<id>), put a field's error from the
// server beside that field, delete after a confirmation, reload after every change.
import { nextTick, reactive, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { api, fetchAll } from '../api.js'
import { confirmed, showError, showSuccess } from '../notify.js'

/**
 * @param options.path       the collection, e.g. '/windows'
 * @param options.list       async () => rows, or { items, total } (default: every page of GET path)
 * @param options.blank      () => the form of a new record
 * @param options.fromRow    (row) => the form of an existing record (default: blank()'s keys from row)
 * @param options.fetchOne   async (row) => the full record to edit, when the list holds less
 * @param options.toBody     (form, editing) => the body to send (default: the form)
 * @param options.create     async (body) => created (default: POST path)
 * @param options.validate   async () => false to stop a save (form rules)
 * @param options.afterSave  (result, editing) => after a save, before reloading
 * @param options.reload     async () => what to do after a change (default: load())
 * @param options.deleteConfirm (row) => the question asked before deleting
 * @param options.createdText / savedText / deletedText  i18n keys of the toasts ('' for none)
 */
export function useCrud(options) {
  const { t } = useI18n()
  const o = {
    fromRow: (row) => Object.fromEntries(Object.keys(options.blank()).map((k) => [k, row[k] ?? options.blank()[k]])),
    toBody: (form) => ({ ...form }),
    create: (body) => api.post(options.path, body),
    createdText: 'common.createdOk',
    savedText: 'common.savedOk',
    deletedText: '',
    ...options,
  }
  const items = ref([])
  const total = ref(0)
  const loading = ref(false)

  async function load() {
    loading.value = true
    try {
      const res = o.list ? await o.list() : await fetchAll(o.path)
      items.value = Array.isArray(res) ? res : res.items || []
      total.value = Array.isArray(res) ? res.length : res.total ?? items.value.length
    } catch (e) {
      showError(e)
    } finally {
      loading.value = false
    }
  }
  const reload = () => (o.reload ? o.reload() : load())

  const dialog = reactive({ open: false, editing: null, busy: false })
  const form = reactive(o.blank())
  const errors = reactive({})
  const clearErrors = () => Object.keys(errors).forEach((k) => (errors[k] = ''))

  async function open(row) {
    clearErrors()
    let record = row || null
    if (record && o.fetchOne) {
      try {
        record = await o.fetchOne(record)
      } catch (e) {
        showError(e)
        return
      }
    }
    dialog.editing = record
    Object.assign(form, record ? o.fromRow(record) : o.blank())
    dialog.open = true
    await nextTick()
  }

  async function save() {
    if (o.validate && (await o.validate()) === false) return
    clearErrors()
    dialog.busy = true
    try {
      const editing = dialog.editing
      const body = o.toBody(form, editing)
      let res = null
      if (editing) {
        if (body && Object.keys(body).length) res = await api.patch(`${o.path}/${editing.id}`, body)
      } else {
        res = await o.create(body)
      }
      if (editing ? o.savedText : o.createdText) showSuccess(t(editing ? o.savedText : o.createdText))
      dialog.open = false
      if (o.afterSave) o.afterSave(res, editing)
      await reload()
    } catch (e) {
      if (e.field) errors[e.field] = e.message
      showError(e)
    } finally {
      dialog.busy = false
    }
  }

  async function remove(row) {
    if (!(await confirmed(o.deleteConfirm(row)))) return
    try {
      await api.del(`${o.path}/${row.id}`)
      if (o.deletedText) showSuccess(t(o.deletedText))
      await reload()
    } catch (e) {
      showError(e)
    }
  }

  // One change from a row's button (enable, disable, switch off): PATCH, toast, reload.
  async function update(row, body, okText = '') {
    try {
      await api.patch(`${o.path}/${row.id}`, body)
      if (okText) showSuccess(t(okText))
      await reload()
    } catch (e) {
      showError(e)
    }
  }

  return { items, total, loading, load, dialog, form, errors, open, save, remove, update }
}
