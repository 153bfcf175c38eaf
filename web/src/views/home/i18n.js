// Texts of the home page, the public-address warning shown there, and the 403/404 pages.
export default {
  'zh-CN': {
    home: {
      title: '首页',
      morning: '早上好，{name}',
      noon: '中午好，{name}',
      afternoon: '下午好，{name}',
      evening: '晚上好，{name}',
      signedInAs: '账号 {login}，身份：{role}',
      youCan: '您可以使用',
      nothing: '当前身份暂无可用功能，请联系管理员',
      publicUrl: {
        title: '尚未设置对外访问地址（public_base_url）',
        text: '证明和号票上的二维码与验证链接现在指向 {now}，学生的手机可能无法打开。请设置学生访问本系统的地址（配置文件中的 public_base_url，或启动参数 --public-base-url）：',
      },
    },
    errors: {
      forbiddenTitle: '无权访问',
      forbiddenDesc: '您的账号没有访问此页面的权限。如需开通，请联系管理员。',
      notFoundTitle: '页面不存在',
      notFoundDesc: '您访问的页面不存在或已被移除。',
    },
  },
  en: {
    home: {
      title: 'Home',
      morning: 'Good morning, {name}',
      noon: 'Good day, {name}',
      afternoon: 'Good afternoon, {name}',
      evening: 'Good evening, {name}',
      signedInAs: 'Account {login}, role: {role}',
      youCan: 'What you can do',
      nothing: 'Nothing is available to your role yet. Please contact an administrator.',
      publicUrl: {
        title: 'The public address (public_base_url) is not set',
        text: 'QR codes and verification links on documents and tickets now point at {now}, which students\' phones may not reach. Set the address students use (public_base_url in the configuration file, or --public-base-url when starting):',
      },
    },
    errors: {
      forbiddenTitle: 'Access denied',
      forbiddenDesc: 'Your account may not open this page. Ask an administrator if you need access.',
      notFoundTitle: 'Page not found',
      notFoundDesc: 'The page you asked for does not exist or has been removed.',
    },
  },
}
