"""The hostile corpus: every route of the API that takes an id, a body or a query, crossed with the
values a broken or malicious client sends. Each case must be answered with a 4xx in the service's
error format (a batch: 200 with every report refused on its own), never a 500.

A case is built from a route's valid base body with one field replaced by one hostile value, or
from a whole-body attack (not JSON, nested 100,000 deep, an escaped NUL in a key...). Raw JSON
is written by hand where Python's ``json`` cannot (``1e400``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from tests.service.field.plans import SUKAMAJU_1

TPS = SUKAMAJU_1.code
ONE_E_400 = "__1e400__"  # a placeholder json.dumps leaves in a string, replaced by the literal

# Hostile values for any field: non-finite and huge numbers, text no column can hold, a string
# far past every field's length, wrong shapes.
ANY_FIELD: dict[str, Any] = {
    "nan": float("nan"),
    "infinity": float("inf"),
    "minus_infinity": float("-inf"),
    "1e400": ONE_E_400,
    "20_digits": 99999999999999999999,
    "nul": "a\x00b",
    "lone_high_surrogate": "\ud800",
    "lone_low_surrogate": "x\udc00y",
    "100k_characters": "x" * 100_000,
    "object": {"a": [1, {"b": 2}]},
}
DATES: dict[str, Any] = {
    "year_1_east_of_utc": "0001-01-01T00:00:00+14:00",
    "year_9999_west_of_utc": "9999-12-31T23:59:59-14:00",
    "year_1900": "1900-01-01T00:00:00+07:00",
    "february_30": "2024-02-30T08:00:00+07:00",
    "timestamp_overflow": 10**20,
}
IDS = {
    "20_digits": "99999999999999999999",
    "past_int32": "2147483648",
    "negative": "-1",
    "zero": "0",
    "decimal": "1.5",
    "exponent": "1e3",
    "word": "abc",
    "nul": "%00",
}


@dataclass(frozen=True)
class Route:
    """An API route as the corpus attacks it: who calls it and a valid body to spoil."""

    method: str
    path: str
    persona: str
    body: dict[str, Any] | None = None
    dates: tuple[str, ...] = ()  # fields that take a datetime
    forbids_extra: bool = False
    keyed: bool = False  # needs an Idempotency-Key
    batch: bool = False  # answers each report on its own


BODY_ROUTES = [
    Route("POST", "/api/v1/auth/token", "anonymous",
          {"username": "andi", "password": "salah-sekali", "label": "HP"}),
    Route("POST", "/api/v1/users", "admin",
          {"username": "baru", "password": "rahasia-123456", "role": "viewer",
           "display_name": "Baru", "nrp": "90039999", "scope_code": None}),
    Route("POST", "/api/v1/checkin", "andi",
          {"method": "gps", "lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng,
           "at": "2024-02-14T08:00:00+07:00"},
          dates=("at",), forbids_extra=True, keyed=True),
    Route("POST", "/api/v1/movements", "andi", {"phase": "apel"},
          forbids_extra=True, keyed=True),
    Route("POST", f"/api/v1/tps/{TPS}/status", "andi", {"status": "dibuka", "note": "aman"},
          forbids_extra=True, keyed=True),
    Route("POST", "/api/v1/heartbeat", "andi", {"lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng},
          forbids_extra=True),
    Route("POST", "/api/v1/field/batch", "andi",
          {"reports": [{"path": "/api/v1/movements", "body": {"phase": "apel"},
                        "idempotency_key": "q-1"}]},
          forbids_extra=True, keyed=True, batch=True),
    Route("POST", "/api/v1/incidents", "komandan",
          {"tps_code": TPS, "category": "lainnya", "severity": "rendah",
           "description": "Warga berkumpul di depan TPS.", "lat": SUKAMAJU_1.lat,
           "lng": SUKAMAJU_1.lng, "at": "2024-02-14T08:00:00+07:00"},
          dates=("at",), keyed=True),
    Route("POST", "/api/v1/incidents/1/transition", "komandan",
          {"to": "handled", "owner": "Kapolsek", "note": "ditangani"}, keyed=True),
    Route("POST", "/api/v1/liaison/codes", "komandan",
          {"tps": [TPS], "desa": None, "holders": ["kpps"]}, keyed=True),
    Route("POST", "/api/v1/liaison/redeem", "anonymous",
          {"code": "ABCD-EFGH", "name": "Ketua KPPS", "label": "HP"}),
    Route("POST", "/api/v1/dispatches", "komandan",
          {"unit": 1, "incident": 1, "override_reason": "darurat"}),
    Route("POST", "/api/v1/dispatches/1/status", "komandan", {"status": "on_scene"}),
    Route("POST", f"/api/v1/escorts/{TPS}/seals", "andi",
          {"seals": {"ppwp": "S-1"}, "at": "2024-02-14T18:00:00+07:00"},
          dates=("at",), keyed=True),
    Route("POST", f"/api/v1/escorts/{TPS}/handovers", "andi",
          {"seals": {"ppwp": "S-1"}, "leg": "pps", "side": "officer",
           "receiver_name": "PPS Sukamaju", "at": "2024-02-14T19:00:00+07:00"},
          dates=("at",), keyed=True),
    Route("POST", "/api/v1/alerts/1/resolve", "komandan", {"note": "sudah dicek"}),
]

ID_ROUTES = [
    ("DELETE", "/api/v1/auth/tokens/{}", "komandan"),
    ("GET", "/api/v1/incidents/{}", "komandan"),
    ("GET", "/api/v1/incidents/{}/dispatches", "komandan"),
    ("GET", "/api/v1/incidents/{}/recommendation", "komandan"),
    ("GET", "/api/v1/incidents/1/photos/{}", "komandan"),
    ("GET", "/api/v1/incidents/{}/photos/1", "komandan"),
    ("GET", "/api/v1/sitreps/{}/pdf", "komandan"),
    ("GET", "/api/v1/sitreps/{}/xlsx", "komandan"),
    ("POST", "/api/v1/alerts/{}/resolve", "komandan"),
    ("POST", "/api/v1/dispatches/{}/status", "komandan"),
    ("POST", "/api/v1/incidents/{}/transition", "komandan"),
    ("POST", "/api/v1/incidents/{}/photos", "komandan"),
    ("POST", "/api/v1/liaison/codes/{}/revoke", "komandan"),
    ("POST", "/api/v1/orders/{}/ack", "andi"),
    ("POST", "/api/v1/plans/{}/publish", "komandan"),
]

QUERIES = [
    ("GET", "/api/v1/incidents?tps=%00", "komandan"),
    ("GET", "/api/v1/incidents?status=a%00b", "komandan"),
    ("GET", "/api/v1/incidents?open=perhaps", "komandan"),
    ("GET", "/api/v1/orders?acknowledged=2", "komandan"),
    ("GET", "/api/v1/liaison/codes?tps=%00", "komandan"),
    ("GET", "/api/v1/tps/%00/timeline", "komandan"),
    ("GET", "/api/v1/tps/12%003/timeline", "komandan"),
]


@dataclass(frozen=True)
class Case:
    """One hostile request."""

    name: str
    method: str
    path: str
    persona: str
    content: bytes | None = None
    route: Route | None = None
    headers: dict[str, str] = field(default_factory=dict)


def raw_json(value: Any) -> bytes:
    """``value`` as JSON, with non-finite numbers and ``1e400`` as a hostile client writes them."""
    return json.dumps(value).replace(f'"{ONE_E_400}"', "1e400").encode()


def body_cases(route: Route) -> list[Case]:
    """Every field of the route's body spoiled by every hostile value, then whole-body attacks."""
    assert route.body is not None
    cases = []
    fields = list(route.body) + (["reports.0.path", "reports.0.body", "reports.0.idempotency_key"]
                                 if route.batch else [])
    for name in fields:
        values = ANY_FIELD | (DATES if name in route.dates else {})
        for label, value in values.items():
            if route.batch and name != "reports" and label == "object":
                continue  # an object is a valid report body; the report then answers alone
            cases.append(_case(route, f"{name}={label}", raw_json(_spoil(route.body, name, value))))
    whole = {
        "empty": b"",
        "not_json": b"{not json",
        "a_list": b"[]",
        "a_string": b'"text"',
        "missing_fields": b"{}",
        "nested_100000": b"[" * 100_000 + b"]" * 100_000,
        "nested_objects_100000": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        "nul_in_a_key": raw_json(route.body | {"a\x00": 1}),
        "invalid_utf8": b'{"username": "\xed\xa0\x80"}',
        "truncated": raw_json(route.body)[:-1],
    }
    if route.forbids_extra:
        whole["extra_field"] = raw_json(route.body | {"perolehan_suara": 1})
    for label, content in whole.items():
        if route.path == "/api/v1/heartbeat" and label in ("missing_fields", "empty"):
            continue  # a heartbeat without a position is valid
        cases.append(_case(route, label, content))
    return cases


def _spoil(body: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    if name.startswith("reports.0."):
        item = body["reports"][0] | {name.rsplit(".", 1)[1]: value}
        return body | {"reports": [item]}
    return body | {name: value}


def _case(route: Route, name: str, content: bytes) -> Case:
    return Case(name, route.method, route.path, route.persona, content, route,
                {"content-type": "application/json"})


def id_cases() -> list[Case]:
    return [
        Case(f"{method} {template} id={label}", method, template.format(value), persona,
             b"{}" if method == "POST" else None)
        for method, template, persona in ID_ROUTES
        for label, value in IDS.items()
    ]


def query_cases() -> list[Case]:
    return [Case(f"{method} {path}", method, path, persona) for method, path, persona in QUERIES]


def corpus() -> dict[str, list[Case]]:
    """The cases by group: one group per body route, the ids, the queries."""
    groups = {f"{route.method} {route.path}": body_cases(route) for route in BODY_ROUTES}
    return groups | {"ids": id_cases(), "queries": query_cases()}
