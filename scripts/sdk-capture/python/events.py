"""track_event, track and bulk_events of the Python SDK: what they send to /v2/event/ and /v2/bulk/event/,
and what the SDK makes of the answers. Each call must return, not raise: the driver prints what it returned."""
import os
import warnings

from driver import BASE_URL, client, fault, show, step

from suprsend import Event, Suprsend

warnings.simplefilter("ignore", DeprecationWarning)
supr = client()


def show_bulk(label, bulk, result):
    show(label, str(result))
    show(label + " failed_records", [(r["error"], r["code"]) for r in result.failed_records])
    show(label + " records per chunk", [len(ch.response["raw_response"]["records"]) for ch in bulk.chunks])


# A profile for one of the users, so that user_exists differs between the events.
step("users.upsert")
show("users.upsert", supr.users.upsert("py-ev-known", {"name": "Known"})["distinct_id"])

step("track_event")
event = Event("py-ev-known", "Order Placed", {"amount": 42, "items": ["a", "b"]},
              idempotency_key="py-idem-1", tenant_id="acme", brand_id="acme-brand")
show("track_event", supr.track_event(event))

step("track_event unknown user")
show("track_event unknown user", supr.track_event(Event("py-ev-ghost", "Viewed", {"page": "/home"})))

step("track_event refused")
# The SDK lets an integer beyond 2^53 - 1 through; the emulator refuses the event (400).
show("track_event refused", supr.track_event(Event("py-ev-known", "Big Number", {"n": 12345678901234567890})))

step("track")
show("track", supr.track("py-ev-known", "Legacy Track", {"via": "track"}, idempotency_key="py-idem-2", tenant_id="acme"))

step("bulk_events")
bulk = supr.bulk_events.new_instance()
bulk.append(
    Event("py-ev-known", "Bulk One", {"i": 1}, tenant_id="acme"),
    Event("x" * 300, "Bulk Too Long Id", {"i": 2}),
    Event("py-ev-ghost", "Bulk Three", {"i": 3}, idempotency_key="py-idem-3"),
    Event("py-ev-known", "Bulk Big Number", {"n": 12345678901234567890}),
)
show_bulk("bulk_events", bulk, bulk.trigger())

step("bulk_events 250")
bulk = supr.bulk_events.new_instance()
bulk.append(*[Event(f"py-ev-{i % 5}", "Chunked", {"i": i}) for i in range(250)])
show_bulk("bulk_events 250", bulk, bulk.trigger())

# Error answers: before the emulator put "records" in them, the SDK raised KeyError('records') here.
step("bulk_events wrong secret")
wrong = Suprsend(os.environ["SUPRSEND_KEY"], "not-the-secret-0123456789", base_url=BASE_URL)
bulk = wrong.bulk_events.new_instance()
bulk.append(Event("py-ev-known", "Unsigned", {}))
show_bulk("bulk_events wrong secret", bulk, bulk.trigger())

step("track_event wrong secret")
show("track_event wrong secret", wrong.track_event(Event("py-ev-known", "Unsigned", {})))

step("fault rule")
fault({"method": "POST", "path": "/v2/bulk/event/", "status": 503, "count": 1})
step("bulk_events fault")
bulk = supr.bulk_events.new_instance()
bulk.append(Event("py-ev-known", "Faulted", {}))
show_bulk("bulk_events fault", bulk, bulk.trigger())
