import { createContext, useContext } from 'react'
import type { Membership } from '../api/client.ts'
import type { Permissions } from './session.tsx'

export interface OrgContextValue {
  org: Membership
  permissions: Permissions
}

export const OrgContext = createContext<OrgContextValue | undefined>(undefined)

/** The organisation of the current `/orgs/:orgId/...` route, with the caller's role and permissions. */
export function useOrg(): OrgContextValue {
  const value = useContext(OrgContext)
  if (value === undefined) throw new Error('useOrg must be used inside an organisation route')
  return value
}
