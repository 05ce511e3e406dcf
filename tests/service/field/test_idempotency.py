"""Idempotency keys: a write applied once, whatever the retries, even when they race."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from pamtps.ops.errors import ServiceError
from pamtps.ops.field.ingest import Outcome
from pamtps.ops.field.orders import PublishResult
from pamtps.ops.idempotency import check_key
from pamtps.store import Database
from pamtps.store.tables.field import MovementRow
from tests.service.field.conftest import at, field_write
from tests.service.field.plans import ANDI, FAJAR, SUKAMAJU_1

THREADS = 8
APEL = {"phase": "apel"}
HERE = {"method": "gps", "lat": SUKAMAJU_1.lat, "lng": SUKAMAJU_1.lng}


def _movements(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(MovementRow)) or 0


def _apel(database: Database, nrp: str = ANDI, key: str = "key-1") -> Outcome:
    return field_write(database, nrp, "movement", APEL, now=at(5), key=key)


def test_a_replayed_key_returns_the_first_response_without_applying_again(
    toy_db: Database, published: PublishResult
) -> None:
    """The second call with the same key and body gets the stored answer; one row is written."""
    first, again = _apel(toy_db), _apel(toy_db)
    assert (again.status, again.body, again.replayed) == (201, first.body, True)
    assert _movements(toy_db) == 1


def test_the_same_key_with_another_body_is_a_conflict(
    toy_db: Database, published: PublishResult
) -> None:
    """A key reused for a different report is refused (409) and applies nothing."""
    _apel(toy_db)
    other = field_write(toy_db, ANDI, "movement", {"phase": "berangkat"}, now=at(6), key="key-1")
    assert other.error is not None
    assert (other.status, other.error.key) == (409, "field.idempotency_key_reused")
    assert _movements(toy_db) == 1


def test_keys_belong_to_their_officer(toy_db: Database, published: PublishResult) -> None:
    """Two officers may happen to pick the same key: both writes apply."""
    _apel(toy_db, ANDI)
    _apel(toy_db, FAJAR)
    assert _movements(toy_db) == 2


def test_a_refused_write_leaves_its_key_free(toy_db: Database, published: PublishResult) -> None:
    """A check-in refused for distance frees its key: the corrected retry under it applies."""
    far = HERE | {"lat": SUKAMAJU_1.lat + 0.05}
    assert field_write(toy_db, ANDI, "checkin", far, now=at(6), key="k").status == 422
    retry = field_write(toy_db, ANDI, "checkin", HERE, now=at(6), key="k")
    assert (retry.status, retry.replayed) == (201, False)


def test_racing_retries_of_one_key_apply_once(toy_db: Database, published: PublishResult) -> None:
    """Eight threads send the same report at once: one row, and all get the same answer."""
    barrier = threading.Barrier(THREADS)

    def send(_: int) -> Outcome:
        barrier.wait()
        return _apel(toy_db)

    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(send, range(THREADS)))
    assert _movements(toy_db) == 1
    assert {answer.status for answer in answers} == {201}
    assert len({answer.body["id"] for answer in answers}) == 1
    assert sum(not answer.replayed for answer in answers) == 1


@pytest.mark.parametrize("key", [None, "", "x" * 201, "kunci dengan é"])
def test_a_missing_or_unusable_key_is_a_bad_request(key: str | None) -> None:
    """No key, an empty one, one too long or not printable ASCII: 400."""
    with pytest.raises(ServiceError) as refused:
        check_key(key)
    assert refused.value.status == 400
