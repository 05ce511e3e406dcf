"""The TPS page shows the class reasons of the plan in force in the page's language."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pamtps.domain.plan import Reason
from pamtps.ops.field.orders import publish
from pamtps.store import Database, load_dataset
from pamtps.store.plans import get_plan, save_plan
from tests.service.conftest import Login
from tests.service.field.conftest import PUBLISHED_AT
from tests.service.field.plans import SUKAMAJU_1, SUKAMAJU_2, toy_field_plan, toy_operation

LISTED = Reason("bawaslu_list", {"cls": "rawan", "alasan": "dusun di seberang sungai",
                                 "indicators": [["lokasi", "sulit dijangkau"]],
                                 "source": "rawan-2024.xlsx"})


def publish_with_reasons(db: Database) -> None:
    """The toy plan, with a Bawaslu reason on Sukamaju 001 and an old plain-text one on 002."""
    plan = toy_field_plan(1)
    plan.reasons = {SUKAMAJU_1.code: [LISTED], SUKAMAJU_2.code: ["hard to reach (old plan)"]}
    with db.session() as session:
        plan_id = save_plan(session, plan, toy_operation(), now=PUBLISHED_AT)
        stored = get_plan(session, plan_id)
        assert stored is not None
        publish(session, stored, load_dataset(session), "komandan", PUBLISHED_AT)


def test_the_tps_page_says_bawaslu_in_indonesian_and_in_english_on_request(
    client: TestClient, login: Login, db: Database, people: dict
):
    """Indonesian by default, English with ?lang=en; an old plan's text reason as it was."""
    publish_with_reasons(db)
    login(client, "padal")
    page = client.get(f"/tps/{SUKAMAJU_1.code}").text
    assert ("Bawaslu: rawan; alasan: dusun di seberang sungai; indikator: lokasi "
            "(sulit dijangkau); daftar rawan-2024.xlsx") in page
    english = client.get(f"/tps/{SUKAMAJU_1.code}?lang=en").text
    assert "Bawaslu: rawan; reason: dusun di seberang sungai; indicators: lokasi" in english
    assert "hard to reach (old plan)" in client.get(f"/tps/{SUKAMAJU_2.code}").text
