"""Tenant-scoped user profiles as the Python SDK (0.19.7) drives them: upsert_for_tenant, get_for_tenant,
edit with a tenant (both forms), list_associated_tenants, async_edit on a tenant edit instance, unlink_tenant."""
from driver import client, show, step

s = client()

step("tenants.upsert")
show("tenant", s.tenants.upsert("acme", {"tenant_name": "Acme"}))
step("users.upsert")
show("global", s.users.upsert("tina", {"name": "Tina", "role": "user", "$email": ["tina@example.com"]}))

step("users.upsert_for_tenant")
show("upsert_for_tenant", s.users.upsert_for_tenant("tina", "acme", {"role": "admin", "$email": ["tina@acme.test"]}))
step("users.get_for_tenant")
show("get_for_tenant", s.users.get_for_tenant("tina", "acme"))

step("users.edit with tenant_id")
show("edit(id, payload, tenant_id)", s.users.edit("tina", {"operations": [{"$set": {"seat": 7}}]}, tenant_id="acme"))
step("users.edit with a tenant edit instance")
ins = s.users.get_edit_instance("tina", tenant_id="acme")
ins.set({"desk": "A-1"})
ins.append("$sms", "+14155550100")
show("edit(edit_instance)", s.users.edit(ins))

step("users.async_edit with a tenant edit instance")
ins = s.users.get_edit_instance("tina", tenant_id="acme")
ins.set({"team": "core"})
show("async_edit", s.users.async_edit(ins))

step("users.list_associated_tenants")
show("list_associated_tenants", s.users.list_associated_tenants("tina", {"limit": 10, "offset": 0}))
step("users.get")
show("global after", s.users.get("tina"))

step("users.unlink_tenant")
show("unlink_tenant", s.users.unlink_tenant("tina", "acme"))
step("users.get_for_tenant after unlink")
try:
    s.users.get_for_tenant("tina", "acme")
except Exception as e:  # the SDK raises SuprsendAPIException on 4xx
    show("get_for_tenant after unlink raised", e)
