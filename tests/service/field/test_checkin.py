"""Movement and check-in: GPS within the tolerance, the QR token of the order sheet, phases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pamtps.ops.errors import ServiceError
from pamtps.ops.field.checkin import by_gps, by_qr
from pamtps.ops.field.orders import PublishResult, order_of
from pamtps.store import Database
from pamtps.tokens import sign_token
from tests.service.field.conftest import SECRET, at, field_write
from tests.service.field.plans import ANDI, FAJAR, HILIR_POST, HULU_POST, SUKAMAJU_2

EXPIRES = datetime(2024, 2, 15, 23, 59, tzinfo=UTC)
METRES_PER_DEGREE = 111_195  # of latitude, on the mean Earth sphere


def test_gps_check_in_within_the_tolerance_is_accepted_with_its_distance(
    toy_db: Database, published: PublishResult
) -> None:
    """200 m south of Sukamaju TPS 002 is within 300 m: accepted at that TPS, 200 m away."""
    with toy_db.session() as session:
        order = order_of(session, ANDI)
    point = (SUKAMAJU_2.lat - 200 / METRES_PER_DEGREE, SUKAMAJU_2.lng)
    arrival = by_gps(order.details, *point, tolerance_m=300)
    assert arrival.tps_code == SUKAMAJU_2.code
    assert arrival.distance_m == pytest.approx(200, abs=1)


def test_gps_check_in_beyond_the_tolerance_is_refused_saying_how_far(
    toy_db: Database, published: PublishResult
) -> None:
    """1 km from the nearest TPS of the post: refused (422), the message names 1000 m and 300 m."""
    with toy_db.session() as session:
        order = order_of(session, ANDI)
    point = (SUKAMAJU_2.lat - 1000 / METRES_PER_DEGREE, SUKAMAJU_2.lng)
    with pytest.raises(ServiceError) as refused:
        by_gps(order.details, *point, tolerance_m=300)
    assert refused.value.status == 422
    assert refused.value.params["distance"] == pytest.approx(1000, abs=2)
    assert refused.value.params["tolerance"] == 300


def test_qr_check_in_accepts_the_officers_own_token(
    toy_db: Database, published: PublishResult
) -> None:
    """Andi's token for his post and plan version 1 checks him in."""
    token = sign_token(SECRET, ANDI, HULU_POST, 1, EXPIRES)
    with toy_db.session() as session:
        arrival = by_qr(order_of(session, ANDI), token, SECRET, 1, at(6))
    assert arrival.method == "qr"


@pytest.mark.parametrize(
    ("token", "key"),
    [
        (sign_token(SECRET, ANDI, HULU_POST, 1, EXPIRES)[:-2] + "xx", "field.token_signature"),
        (
            sign_token(b"another-key-of-16-bytes", ANDI, HULU_POST, 1, EXPIRES),
            "field.token_signature",
        ),
        (sign_token(SECRET, FAJAR, HULU_POST, 1, EXPIRES), "field.token_other_officer"),
        (sign_token(SECRET, ANDI, HILIR_POST, 1, EXPIRES), "field.token_other_post"),
        (sign_token(SECRET, ANDI, HULU_POST, 0, EXPIRES), "field.token_old_plan"),
        (sign_token(SECRET, ANDI, HULU_POST, 1, at(5)), "field.token_expired"),
        ("not-a-token", "field.token_malformed"),
    ],
    ids=["tampered", "other-key", "other-officer", "other-post", "old-plan", "expired", "junk"],
)
def test_qr_check_in_with_a_bad_token_is_refused(
    toy_db: Database, published: PublishResult, token: str, key: str
) -> None:
    """A tampered, foreign, outdated or expired token checks no one in."""
    with toy_db.session() as session, pytest.raises(ServiceError) as refused:
        by_qr(order_of(session, ANDI), token, SECRET, 1, at(6))
    assert refused.value.key == key


def test_phases_go_forward_and_duty_needs_the_check_in_first(
    toy_db: Database, published: PublishResult
) -> None:
    """bertugas before arriving is refused; after it, apel is refused as going backwards."""
    here = {"method": "gps", "lat": SUKAMAJU_2.lat, "lng": SUKAMAJU_2.lng}
    outcomes = [
        field_write(toy_db, ANDI, kind, body, now=when)
        for kind, body, when in [
            ("movement", {"phase": "apel"}, at(5)),
            ("movement", {"phase": "bertugas"}, at(6)),
            ("checkin", here, at(6, 40)),
            ("movement", {"phase": "apel"}, at(6, 45)),
        ]
    ]
    keys = [o.error.key if o.error else o.status for o in outcomes]
    assert keys == [201, "field.phase_before_checkin", 201, "field.phase_out_of_order"]
    assert outcomes[2].body["late"]  # arrived 06:40, ten minutes after the 06:30 deadline
