"""SMS reports through the gateway: applied once, refused with a reason, never from strangers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pamtps.settings import Settings
from pamtps.store import Database
from pamtps.store.tables.security import AuditRow
from tests.service.sms.conftest import ANDI, KPPS, STRANGER, Gateway, andis_code, counts

SEALS = "A11 A12 A13 A14 A15"


def test_each_command_applies_once_when_delivered_three_times(
    registered: Database, settings: Settings, gateway: Gateway
) -> None:
    """Every officer command, delivered three times by the gateway, adds its row once."""
    code = andis_code(registered, settings)
    script = [
        (f"hadir {code[:3]} {code[3:]}", "movements", 1),
        ("  Bertugas ", "movements", 1),
        ("STATUS 1 buka", "statuses", 1),
        ("lapor 001 ricuh tinggi massa berkumpul di depan TPS", "reports", 1),
        (f"SEGEL 1 {SEALS}", "seals", 5),  # one row a box
        (f"serah#1#pps#{SEALS.replace(' ', '#')}#Budi", "handovers", 1),
    ]
    received = datetime.now(UTC) - timedelta(minutes=5)
    for n, (text, table, rows) in enumerate(script):
        before = counts(registered)
        answers = [gateway.deliver(ANDI, text, f"m{n}", received + timedelta(seconds=n))
                   for _ in range(3)]
        bodies = [answer.json() for answer in answers]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert bodies[0]["outcome"] == "applied", (text, bodies[0])
        assert bodies[0]["reply"].startswith("OK"), bodies[0]
        assert [b["replayed"] for b in bodies] == [False, True, True]
        assert {b["reply"] for b in bodies} == {bodies[0]["reply"]}
        after = counts(registered)
        assert after[table] == before[table] + rows, text
        assert after["sms"] == before["sms"] + 1


def test_a_resent_plain_form_sms_is_applied_once(
    registered: Database, settings: Settings, gateway: Gateway
) -> None:
    """The plain form keys on sender, text and sent time when the gateway gives no id."""
    form = {"sender": ANDI, "text": "APEL", "secret": gateway.key,
            "sent_at": (datetime.now(UTC) - timedelta(minutes=3)).isoformat()}
    answers = [gateway.client.post("/api/v1/sms/inbound", data=form).json() for _ in range(3)]
    assert [a["outcome"] for a in answers] == ["applied"] * 3, answers[0]
    assert [a["replayed"] for a in answers] == [False, True, True]
    assert counts(registered)["movements"] == 1


@pytest.mark.parametrize("text, explains", [
    ("STATUS 1", "Format: STATUS"),
    ("STATUS 1 TERBANG", "Langkah 'TERBANG' tidak dikenal"),
    ("LAPOR 1 GEMPA TINGGI rusak", "Kategori 'GEMPA' tidak dikenal"),
    ("LAPOR 1 RICUH PARAH rusak", "Tingkat 'PARAH' tidak dikenal"),
    ("SEGEL 1 A11 A12", "Format: SEGEL"),
    ("HALO PAK", "Kata kunci 'HALO' tidak dikenal"),
    ("HADIR 000000", "Kode HADIR salah"),
    ("STATUS 9 BUKA", "TPS 9 tidak ada di pos Anda"),
    ("TERIMA 1 PPS A11 A12 A13 A14 A15", "tidak untuk akun Anda"),
])
def test_a_malformed_sms_gets_an_indonesian_reason_and_changes_nothing(
    registered: Database, gateway: Gateway, text: str, explains: str
) -> None:
    """A message that is not a valid command is answered with why, and nothing is recorded."""
    before = counts(registered)
    body = gateway.deliver(ANDI, text).json()
    assert body["outcome"] == "refused"
    assert explains in body["reply"], body["reply"]
    after = counts(registered)
    assert {k: v for k, v in after.items() if k != "sms"} == {
        k: v for k, v in before.items() if k != "sms"}
    assert after["sms"] == before["sms"] + 1  # logged with its reply


def test_an_unregistered_number_changes_nothing_and_is_audited(
    registered: Database, gateway: Gateway
) -> None:
    """A stranger's valid command applies nothing; the attempt is in the audit log."""
    before = counts(registered)
    body = gateway.deliver(STRANGER, "STATUS 1 BUKA").json()
    assert body["outcome"] == "unregistered"
    assert "belum terdaftar" in body["reply"]
    after = counts(registered)
    assert after["statuses"] == before["statuses"]
    with registered.session() as session:
        audited = session.scalars(
            select(AuditRow).where(AuditRow.action == "sms.unregistered")).all()
    assert [row.subject for row in audited] == ["phone:+6285299990000"]


@pytest.mark.parametrize("forge", ["other key", "stale", "no headers"])
def test_a_forged_gateway_signature_is_refused(
    registered: Database, gateway: Gateway, forge: str
) -> None:
    """A webhook signed with another key, signed long ago, or unsigned: 401, nothing applied."""
    before = counts(registered)
    if forge == "other key":
        answer = gateway.deliver(ANDI, "STATUS 1 BUKA", key="not-the-key")
    elif forge == "stale":
        old = int((datetime.now(UTC) - timedelta(hours=1)).timestamp())
        answer = gateway.deliver(ANDI, "STATUS 1 BUKA", timestamp=old)
    else:
        answer = gateway.client.post("/api/v1/sms/android", json={"event": "sms:received"})
    assert answer.status_code == 401
    assert counts(registered) == before


def test_a_plain_form_with_a_wrong_secret_is_refused(
    registered: Database, gateway: Gateway
) -> None:
    form = {"sender": ANDI, "text": "APEL", "secret": "tebakan"}
    assert gateway.client.post("/api/v1/sms/inbound", data=form).status_code == 401
    assert counts(registered)["movements"] == 0


@pytest.mark.parametrize("text", [
    "01 dapat 120",
    "LAPOR 1 LAIN RENDAH paslon 02 dpt 87 suara",
    "STATUS 1 BUKA 3 = 45",
    "LAPOR 1 LAIN RENDAH suara sah 240",
])
def test_a_tally_in_an_sms_is_refused(
    registered: Database, gateway: Gateway, text: str
) -> None:
    """Vote counts are refused whole, with the reason, whatever command carries them."""
    before = counts(registered)
    body = gateway.deliver(ANDI, text).json()
    assert body["outcome"] == "refused" and body["status"] == 422
    assert "perolehan suara" in body["reply"]
    assert counts(registered)["statuses"] == before["statuses"]
    assert counts(registered)["reports"] == before["reports"]


def test_a_liaison_reports_a_problem_at_his_tps_by_sms(
    registered: Database, gateway: Gateway
) -> None:
    """The KPPS chair's LAPOR opens an incident at his TPS; a status step is not his to send."""
    body = gateway.deliver(KPPS, "LAPOR 1 LOGISTIK SEDANG surat suara kurang 20 lembar").json()
    assert body["outcome"] == "applied", body  # ballot papers short: logistics, not a tally
    assert counts(registered)["reports"] == 1
    body = gateway.deliver(KPPS, "STATUS 1 BUKA").json()
    assert body["outcome"] == "refused" and "tidak untuk akun" in body["reply"]
