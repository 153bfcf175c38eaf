// Which extra record each role carries (see POST /users).
export const STUDENT_ROLES = ['student']
export const STAFF_ROLES = ['staff', 'teacher', 'unit_head']
export const KNOWN_ROLES = ['admin', 'unit_head', 'teacher', 'staff', 'student']

export const profileKind = (role) =>
  STUDENT_ROLES.includes(role) ? 'student' : STAFF_ROLES.includes(role) ? 'staff' : null
