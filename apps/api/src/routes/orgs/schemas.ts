import { Type } from 'typebox';
import { Name, OrgParams, Page, PageQuery, Role, Timestamp, Uuid } from '../../schemas/common.ts';

export const OrgSlug = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9][a-z0-9-]{0,99}$' });

export const Organization = Type.Object({
  id: Uuid,
  name: Type.String(),
  slug: Type.String(),
  role: Role,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateOrganizationBody = Type.Object(
  { name: Name(255), slug: Type.Optional(OrgSlug) },
  { additionalProperties: false },
);

export const UpdateOrganizationBody = Type.Object(
  { name: Type.Optional(Name(255)), slug: Type.Optional(OrgSlug) },
  { additionalProperties: false, minProperties: 1 },
);

export const ListOrganizationsQuery = Type.Object(PageQuery, { additionalProperties: false });
export const OrganizationPage = Page(Organization);
export { OrgParams };
