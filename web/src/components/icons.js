// Icons referenced by name in route meta.menu.icon.
import {
  HomeFilled,
  Lock,
  User,
  Key,
  OfficeBuilding,
  Postcard,
  Stamp,
  School,
  Monitor,
  Document,
  Setting,
  Tickets,
  ChatDotRound,
  DataLine,
  Calendar,
  Folder,
  Menu as MenuIcon,
} from '@element-plus/icons-vue'

export const ICONS = {
  HomeFilled,
  Lock,
  User,
  Key,
  OfficeBuilding,
  Postcard,
  Stamp,
  School,
  Monitor,
  Document,
  Setting,
  Tickets,
  ChatDotRound,
  DataLine,
  Calendar,
  Folder,
  Menu: MenuIcon,
}

export function iconFor(name) {
  return ICONS[name] || Folder
}
