"""Drives the Python SDK's tenants and brands APIs: upsert, get, list, delete (tenants) and upsert, get, list (brands)."""
from driver import client, show, step

from suprsend import SuprsendAPIException

supr = client()


def attempt(label, call):
    step(label)
    try:
        show(label, call())
    except SuprsendAPIException as err:
        show(label, f"SuprsendAPIException {err.status_code}: {err.message}")


attempt("tenants.get default", lambda: supr.tenants.get("default"))
attempt(
    "tenants.upsert create",
    lambda: supr.tenants.upsert(
        "acme",
        {
            "tenant_name": "Acme Inc",
            "logo": "https://acme.test/logo.png",
            "timezone": "America/New_York",
            "blocked_channels": ["sms"],
            "embedded_preference_url": "https://app.acme.test/settings/notifications",
            "hosted_preference_domain": "preferences.acme.test",
            "primary_color": "#ff0000",
            "secondary_color": "#00ff00",
            "tertiary_color": "#0000ff",
            "social_links": {"website": "https://acme.test", "facebook": "", "linkedin": ""},
            "properties": {"plan": "enterprise"},
        },
    ),
)
attempt(
    "tenants.upsert update",
    lambda: supr.tenants.upsert(
        "acme",
        {"tenant_name": None, "blocked_channels": None, "social_links": {"website": ""}, "properties": {"seats": 10}},
    ),
)
attempt("tenants.upsert missing name", lambda: supr.tenants.upsert("beta", {"logo": "https://beta.test/logo.png"}))
attempt("tenants.upsert bad id", lambda: supr.tenants.upsert("Beta Inc", {"tenant_name": "Beta"}))
attempt("tenants.get", lambda: supr.tenants.get("acme"))
attempt("tenants.list", lambda: supr.tenants.list())
attempt("tenants.list page", lambda: supr.tenants.list(limit=1, offset=1))
attempt("tenants.delete default", lambda: supr.tenants.delete("default"))
attempt("tenants.delete", lambda: supr.tenants.delete("acme"))
attempt("tenants.get deleted", lambda: supr.tenants.get("acme"))
attempt("tenants.delete deleted", lambda: supr.tenants.delete("acme"))
attempt(
    "brands.upsert",
    lambda: supr.brands.upsert("shop", {"brand_name": "Shop", "primary_color": "#123456", "properties": {"k": "v"}}),
)
attempt("brands.get", lambda: supr.brands.get("shop"))
attempt("brands.list", lambda: supr.brands.list())
attempt("brands.get unknown", lambda: supr.brands.get("nope"))
