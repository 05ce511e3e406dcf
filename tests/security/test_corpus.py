"""The hostile corpus (``corpus.py``) replayed against the service: every case a 4xx in the
service's error format with a clear message, none a server error, none echoing what was sent."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pamtps.settings import Settings
from pamtps.store import Database
from tests.security.corpus import Case, corpus
from tests.service.field.api import bearer

Headers = dict[str, str]
GROUPS = corpus()
MAX_ANSWER = 4096
"""Bytes of a refusal at most: it names the problem, it does not echo the request."""


def test_the_corpus_holds_at_least_150_cases() -> None:
    """The issue's bar: at least 150 hostile requests, over bodies, ids and queries."""
    assert sum(len(cases) for cases in GROUPS.values()) >= 150
    assert len(GROUPS["ids"]) >= 100


def _refusal_problem(case: Case, status: int, answer: Any, size: int) -> str | None:
    """What is wrong with the answer to ``case``, or None if it is a proper refusal."""
    if case.route is not None and case.route.batch and status == 200:
        results = answer.get("results", [])
        if results and all(400 <= r["status"] < 500 and r["detail"]["message"] for r in results):
            return None
        return f"batch answered 200 with {results}"
    if not 400 <= status < 500:
        return f"status {status}"
    if size > MAX_ANSWER:
        return f"answer of {size} bytes"
    detail = answer.get("detail") if isinstance(answer, dict) else None
    if not (isinstance(detail, dict) and detail.get("code") and detail.get("message")):
        return f"not the service's error format: {answer}"
    return None


def replay(client: TestClient, heads: dict[str, Headers], case: Case) -> str | None:
    headers = dict(case.headers) | heads.get(case.persona, {})
    if case.route is None or case.route.keyed or case.method == "POST":
        headers["Idempotency-Key"] = str(uuid.uuid4())
    response = client.request(case.method, case.path, content=case.content, headers=headers)
    try:
        answer = response.json()
    except ValueError:
        return f"status {response.status_code}, not JSON: {response.text[:200]!r}"
    return _refusal_problem(case, response.status_code, answer, len(response.content))


@pytest.fixture
def all_heads(
    db: Database, settings: Settings, heads: dict[str, Headers], in_force: int
) -> dict[str, Headers]:
    """Bearer headers of the corpus' callers, the toy plan in force (so officers have orders)."""
    return heads | {"admin": bearer(db, settings, "admin")}


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_hostile_request_is_refused_with_a_clear_4xx(
    client: TestClient, all_heads: dict[str, Headers], group: str
) -> None:
    """Each case of the group: a 4xx, ``{"detail": {"code", "message"}}``, small; no 500."""
    problems = {}
    for case in GROUPS[group]:
        problem = replay(client, all_heads, case)
        if problem:
            problems[case.name] = problem
    assert not problems, f"{len(problems)} of {len(GROUPS[group])} cases: {problems}"
