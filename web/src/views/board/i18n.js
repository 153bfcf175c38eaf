// Texts of the hall's display board (叫号显示屏).
export default {
  'zh-CN': {
    board: {
      nowCalling: '正在叫号',
      recent: '最近叫号',
      waiting: '等候人数',
      waitingN: '{n} 人',
      noCalls: '暂无叫号',
      toWindow: '{n} 号窗口',
      please: '请 {number} 号到 {window} 号窗口办理',
      recall: '重呼',
      announcements: '公告',
      enableSpeech: '点击开启语音播报',
      speechOff: '本机不支持语音播报',
      speechOn: '语音播报已开启',
      wrongHall: '该显示屏属于其他大厅',
      loadFailed: '无法加载叫号信息',
    },
  },
  en: {
    board: {
      nowCalling: 'Now calling',
      recent: 'Recent calls',
      waiting: 'Waiting',
      waitingN: '{n}',
      noCalls: 'No calls yet',
      toWindow: 'Window {n}',
      please: 'Number {number}, please go to window {window}',
      recall: 'Recall',
      announcements: 'Notices',
      enableSpeech: 'Tap to turn on spoken calls',
      speechOff: 'Spoken calls are not supported here',
      speechOn: 'Spoken calls on',
      wrongHall: 'This board belongs to another hall',
      loadFailed: 'Cannot load the calls',
    },
  },
}
