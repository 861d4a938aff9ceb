-- Counting template use.
--
-- Instantiating a template (POST /v1/orgs/:orgId/templates/:templateId/instantiate) bumps its
-- usage_count in the caller's transaction. The built-in templates (org_id null) are not
-- writable by `authenticated` (workflow_templates_update), so the count goes through this
-- function: it changes nothing but usage_count, and only of an active template the caller can
-- see (the workflow_templates_read rule), while acting in an organisation they may write to.
create function app.count_template_use(p_template_id text) returns boolean
language plpgsql volatile security definer set search_path = ''
as $$
declare
  v_org uuid := app.writable_org_id();
  v_user uuid := app.current_user_id();
  v_found boolean;
begin
  if v_org is null then
    return false;
  end if;
  update public.workflow_templates t
     set usage_count = t.usage_count + 1
   where t.id = p_template_id
     and t.is_active
     and (t.visibility_id = app.visibility_id('public')
          or (t.org_id = v_org
              and (t.visibility_id = app.visibility_id('organization') or t.created_by = v_user)));
  v_found := found;
  return v_found;
end;
$$;
revoke all on function app.count_template_use(text) from public;
grant execute on function app.count_template_use(text) to authenticated, service_role;
