// Staff roles: counselor < supervisor < admin (each can do all the one before can); editor edits content only.
import { ROLES, type Role } from '../core/staff.js';

export { ROLES, type Role };

const RANK: Record<Role, number> = { editor: 0, counselor: 1, supervisor: 2, admin: 3 };

/** True when `role` may do what `min` may. Content editing ('editor') is open to editors and admins. */
export function atLeast(role: Role, min: Role): boolean {
  if (min === 'editor') return role === 'editor' || role === 'admin';
  return RANK[role] >= RANK[min];
}
