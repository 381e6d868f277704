"""Drives the Python SDK's preference methods (users, objects, tenants) against a catalog defined through the
control plane: what each one sends, and what it returns or raises."""
import os

import requests
from driver import BASE_URL, client, show, step

from suprsend import SuprsendAPIException

supr = client()

CATALOG = {
    "channels": ["email", "sms", "inbox"],
    "root_categories": [
        {"root_category": "system", "sections": [{"name": "Security", "categories": [
            {"category": "otp", "name": "OTP", "default_preference": "cant_unsubscribe", "default_mandatory_channels": ["email"]}]}]},
        {"root_category": "transactional", "sections": [{"name": "Billing", "tags": ["finance"], "categories": [
            {"category": "invoice-ready", "name": "Invoice ready", "description": "When an invoice is issued",
             "default_preference": "opt_in"}]}]},
        {"root_category": "promotional", "sections": [{"name": "Product Updates", "categories": [
            {"category": "newsletter", "name": "Newsletter", "default_preference": "opt_out", "tags": ["marketing"]}]}]},
    ],
}


def attempt(label, call):
    step(label)
    try:
        show(label, call())
    except SuprsendAPIException as err:
        show(label, f"SuprsendAPIException {err.status_code}: {err.message}")


step("setup catalog")
headers = {"Authorization": "Bearer " + os.environ["EMULATOR_ADMIN_TOKEN"]}
requests.put(BASE_URL + "_emulator/workspaces/default/preference-categories", json=CATALOG, headers=headers).raise_for_status()
attempt("users.upsert", lambda: supr.users.upsert("py-pref-user", {"name": "Pref"})["distinct_id"])
attempt("objects.upsert", lambda: supr.objects.upsert("teams", "py-team", {"name": "Team"})["id"])
attempt("tenants.upsert", lambda: supr.tenants.upsert("py-acme", {"tenant_name": "Acme", "blocked_channels": ["sms"]})["tenant_id"])

# Users
attempt("users.get_full_preference", lambda: supr.users.get_full_preference("py-pref-user"))
attempt("users.update_category_preference", lambda: supr.users.update_category_preference(
    "py-pref-user", "invoice-ready",
    {"preference": "opt_in", "opt_out_channels": ["email"], "digest_schedule": None, "properties": None}))
attempt("users.update_category_preference newsletter", lambda: supr.users.update_category_preference(
    "py-pref-user", "newsletter", {"preference": "opt_in"}))
attempt("users.update_global_channels_preference", lambda: supr.users.update_global_channels_preference(
    "py-pref-user", {"channel_preferences": [{"channel": "sms", "is_restricted": True}]}))
attempt("users.get_category_preference", lambda: supr.users.get_category_preference(
    "py-pref-user", "invoice-ready", {"show_opt_out_channels": True}))
attempt("users.get_full_preference options", lambda: supr.users.get_full_preference(
    "py-pref-user", {"show_opt_out_channels": False, "tags": '{"or":["finance","marketing"]}', "locale": "es"}))
attempt("users.get_full_preference tenant", lambda: supr.users.get_full_preference("py-pref-user", {"tenant_id": "py-acme"}))
attempt("users.update_category_preference unknown category", lambda: supr.users.update_category_preference(
    "py-pref-user", "nope", {"preference": "opt_out"}))
attempt("users.update_global_channels_preference bad channel", lambda: supr.users.update_global_channels_preference(
    "py-pref-user", {"channel_preferences": [{"channel": "fax", "is_restricted": True}]}))
attempt("users.get_full_preference missing user", lambda: supr.users.get_full_preference("py-nobody"))

# Objects
attempt("objects.get_full_preference", lambda: supr.objects.get_full_preference("teams", "py-team"))
attempt("objects.update_category_preference", lambda: supr.objects.update_category_preference(
    "teams", "py-team", "newsletter", {"preference": "opt_in", "opt_out_channels": ["inbox"]}))
attempt("objects.update_global_channels_preference", lambda: supr.objects.update_global_channels_preference(
    "teams", "py-team", {"channel_preferences": [{"channel": "email", "is_restricted": True}]}, {"tenant_id": "py-acme"}))
attempt("objects.get_category_preference", lambda: supr.objects.get_category_preference("teams", "py-team", "newsletter"))
attempt("objects.get_full_preference missing object", lambda: supr.objects.get_full_preference("teams", "py-none"))

# Tenants
attempt("tenants.update_preference_category", lambda: supr.tenants.update_preference_category(
    "py-acme", "newsletter", {"visible_to_subscriber": False, "blocked_channels": ["inbox"], "preference": "opt_in"}))
attempt("tenants.get_preference_category", lambda: supr.tenants.get_preference_category("py-acme", "newsletter", {"locale": "es"}))
attempt("tenants.list_preference_categories", lambda: supr.tenants.list_preference_categories(
    "py-acme", {"limit": 2, "offset": 0, "include_disabled": True}))
attempt("tenants.get_preference_category unknown", lambda: supr.tenants.get_preference_category("py-acme", "nope"))
