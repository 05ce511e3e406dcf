"""Orders: publishing a plan issues them, officers acknowledge them, a re-plan re-asks only some."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from pamtps.ops.errors import ServiceError
from pamtps.ops.field.orders import (
    PublishResult,
    order_of,
    publish,
)
from pamtps.store import Database, load_dataset
from pamtps.store.field import orders_in_force as current_orders
from pamtps.store.plans import PUBLISHED, SUPERSEDED, get_plan, latest_plan
from pamtps.store.tables.field import OrderRow
from tests.service.field.conftest import PUBLISHED_AT, at, field_write
from tests.service.field.plans import (
    ANDI,
    BAMBANG,
    EKO,
    FAJAR,
    GUNAWAN,
    HULU_POST,
    SARI,
    SUKAMAJU_2,
)


def _order_id(database: Database, nrp: str) -> str:
    with database.session() as session:
        return str(order_of(session, nrp).id)


def test_publishing_creates_one_order_per_officer_on_a_post(
    toy_db: Database, published: PublishResult
) -> None:
    """Four officers on two posts get four orders; the Padal and HQ staff get none."""
    assert published.counts() == {"issued": 4, "changed": 0, "unchanged": 0, "withdrawn": 0}
    with toy_db.session() as session:
        orders = current_orders(session)
    assert sorted(orders) == sorted([ANDI, FAJAR, EKO, GUNAWAN])
    assert {order.post_id for order in orders.values()} == {HULU_POST, "HILIR-P01"}


def test_an_order_names_post_tps_partner_leader_padal_kapolsek_and_times(
    toy_db: Database, published: PublishResult
) -> None:
    """Fajar's order: Sukamaju TPS 001-002 in Hulu, partner and leader Andi, Padal Bambang,
    Kapolsek Sari, at the TPS by 06:30 WIB."""
    with toy_db.session() as session:
        details = order_of(session, FAJAR).details
    assert [(t["label"], t["desa"], t["kecamatan"]) for t in details["tps"]] == [
        ("TPS 001", "Sukamaju", "Hulu"),
        ("TPS 002", "Sukamaju", "Hulu"),
    ]
    assert [p["nrp"] for p in details["partners"]] == [ANDI]
    assert details["team_leader"]["nrp"] == ANDI
    assert details["leader"] is False
    assert [p["nrp"] for p in details["padal"]] == [BAMBANG]
    assert details["kapolsek"]["nrp"] == SARI
    assert details["schedule"]["at_tps_by"] == "2024-02-14T06:30:00+07:00"
    assert SUKAMAJU_2.code in {t["code"] for t in details["tps"]}


def test_an_officer_acknowledges_his_order_once(toy_db: Database, published: PublishResult) -> None:
    """The read receipt keeps the first time; a second acknowledgement changes nothing."""
    order = _order_id(toy_db, ANDI)
    field_write(toy_db, ANDI, "ack", {}, order, now=at(4))
    again = field_write(toy_db, ANDI, "ack", {}, order, now=at(5))
    assert again.body["acknowledged_at"] == at(4).isoformat()


def test_an_officer_cannot_acknowledge_another_officers_order(
    toy_db: Database, published: PublishResult
) -> None:
    """Fajar acknowledging Andi's order id finds nothing."""
    refused = field_write(toy_db, FAJAR, "ack", {}, _order_id(toy_db, ANDI), now=at(4))
    assert refused.status == 404


def test_republishing_re_asks_only_the_changed_orders(
    toy_db: Database, published: PublishResult, republish: Callable[[int], PublishResult]
) -> None:
    """After the Hilir re-plan, Andi and Fajar keep their acknowledged orders, Eko's changed
    order (partner gone) and Gunawan's withdrawal must be acknowledged."""
    for nrp in (ANDI, FAJAR, EKO, GUNAWAN):
        field_write(toy_db, nrp, "ack", {}, _order_id(toy_db, nrp), now=at(4))
    result = republish(2)
    assert (result.unchanged, result.changed, result.withdrawn) == ([ANDI, FAJAR], [EKO], [GUNAWAN])
    with toy_db.session() as session:
        orders = current_orders(session)
        total = session.scalar(select(func.count()).select_from(OrderRow))
    pending = sorted(nrp for nrp, order in orders.items() if order.acknowledged_at is None)
    assert pending == sorted([EKO, GUNAWAN])
    assert total == 6  # the two replaced orders stay, superseded
    eko = orders[EKO]
    assert [c["field"] for c in eko.changes] == ["partners"]
    assert [p["nrp"] for p in eko.changes[0]["old"]] == [GUNAWAN]
    assert eko.changes[0]["new"] == []
    assert orders[GUNAWAN].kind == "withdrawn"
    assert orders[GUNAWAN].details["new_duty"] == {"duty": "reserve", "target": "kodim_contoh"}


def test_a_superseded_order_cannot_be_acknowledged(
    toy_db: Database, published: PublishResult, republish: Callable[[int], PublishResult]
) -> None:
    """Eko's first order, replaced by the re-plan, refuses a late acknowledgement (409)."""
    old = _order_id(toy_db, EKO)
    republish(2)
    refused = field_write(toy_db, EKO, "ack", {}, old, now=at(4))
    assert refused.error is not None
    assert (refused.status, refused.error.key) == (409, "field.order_superseded")


def test_publishing_marks_the_plan_in_force_and_refuses_it_twice(
    toy_db: Database, published: PublishResult, republish: Callable[[int], PublishResult]
) -> None:
    """The newest publication is in force, the one before superseded; publishing it again: 409."""
    republish(2)
    with toy_db.session() as session:
        first, second = get_plan(session, published.plan_id), latest_plan(session, published=True)
        assert first is not None and second is not None
        assert (first.status, second.status, second.plan.version) == (SUPERSEDED, PUBLISHED, 2)
        with pytest.raises(ServiceError) as refused:
            publish(session, second, load_dataset(session), "komandan", PUBLISHED_AT)
    assert refused.value.key == "field.plan_already_published"
