"""write_all: every output of a plan into one folder."""

from __future__ import annotations

from pathlib import Path

from pamtps.documents import write_all
from pamtps.domain.plan import Plan, Scenario
from tests.documents.pdf_tools import is_pdf
from tests.documents.toy_plan import one_sector


def test_write_all_writes_the_five_outputs(
    oku: Scenario, toy: Plan, tmp_path: Path, secret: bytes
) -> None:
    """Sprint PDF and XLSX, order sheets, GeoJSON and map, in a folder it creates."""
    plan = one_sector(toy, "polsek.16.01.20")
    written = write_all(plan, oku, tmp_path / "keluaran", secret)
    assert [p.name for p in written] == [
        "sprint.pdf",
        "sprint.xlsx",
        "perintah-personel.pdf",
        "plan.geojson",
        "peta-rencana.png",
    ]
    assert all(p.parent == tmp_path / "keluaran" and p.stat().st_size > 0 for p in written)
    assert is_pdf(written[0]) and is_pdf(written[2])


def test_write_all_can_split_the_sprint_by_sector(
    oku: Scenario, toy: Plan, tmp_path: Path, secret: bytes
) -> None:
    """With per_sector, one sprint-<polsek>.pdf per sector that has posts."""
    plan = one_sector(toy, "polsek.16.01.20")
    written = write_all(plan, oku, tmp_path, secret, per_sector=True)
    assert written[0].name == "sprint-polsek-ulu-ogan.pdf"
    assert [p.name for p in written[1:]] == [
        "sprint.xlsx",
        "perintah-personel.pdf",
        "plan.geojson",
        "peta-rencana.png",
    ]
