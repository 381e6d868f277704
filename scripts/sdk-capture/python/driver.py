"""Shared by the Python drivers: the SDK client pointed at the recording emulator, and step labels.

Needs SUPRSEND_PY_SDK (a suprsend-py-sdk checkout's `src` folder); record.ts sets the rest.
"""
import os
import sys

import requests

sys.path.insert(0, os.environ["SUPRSEND_PY_SDK"])
from suprsend import Suprsend  # noqa: E402

BASE_URL = os.environ["SUPRSEND_BASE_URL"]


def client():
    return Suprsend(os.environ["SUPRSEND_KEY"], os.environ["SUPRSEND_SECRET"], base_url=BASE_URL)


def fault(rule):
    """Adds a fault rule through the control plane (recorded too, so a replay sets it up again)."""
    headers = {"Authorization": "Bearer " + os.environ["EMULATOR_ADMIN_TOKEN"]}
    requests.post(BASE_URL + "_emulator/faults", json=rule, headers=headers).raise_for_status()


def step(label):
    """Labels the requests that follow with the SDK method about to be called."""
    requests.get(BASE_URL + "_capture/step", params={"label": label}).raise_for_status()


def show(label, value):
    print(f"{label}: {value!r}")
