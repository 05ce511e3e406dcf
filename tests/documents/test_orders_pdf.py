"""Order sheets: a page per officer with post, team, controllers, times and a signed QR code."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pamtps.documents.orders_pdf import write_order_sheets
from pamtps.domain.plan import Duty, Plan, Scenario
from pamtps.tokens import verify_token
from tests.documents.pdf_tools import is_pdf, page_count, pdf_text, render_page
from tests.documents.toy_plan import one_sector

WIB = timezone(timedelta(hours=7))


def rawan_pair(oku: Scenario, toy: Plan) -> list[str]:
    """The two officers of the first rawan post of Polsek Baturaja Barat."""
    post = next(
        p for p in toy.posts if p.sector == "polsek.16.01.13" and p.vulnerability == "rawan"
    )
    return [a.nrp for a in toy.team(post.id)]


@pytest.fixture(scope="module")
def pair_pdf(oku: Scenario, toy: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("orders") / "perintah.pdf"
    return write_order_sheets(
        toy, oku, path, b"test-secret-for-output-tests-only", officers=rawan_pair(oku, toy)
    )


def test_one_page_per_officer_chosen(pair_pdf: Path) -> None:
    """Two officers asked for, two A4 pages."""
    assert is_pdf(pair_pdf) and page_count(pair_pdf) == 2


def test_page_names_officer_post_tps_team_and_controllers(
    pair_pdf: Path, oku: Scenario, toy: Plan
) -> None:
    """The leader's page names him, his TPS and desa, his partner, the Padal and the Kapolsek."""
    leader, member = (
        next(o for o in oku.dataset.personnel if o.nrp == n) for n in rawan_pair(oku, toy)
    )
    text = pdf_text(pair_pdf, 1, 1)
    post = next(p for p in toy.posts if leader.nrp in {a.nrp for a in toy.team(p.id)})
    tps = next(t for t in oku.dataset.tps if t.code == post.tps[0])
    padal = next(
        a.nrp for a in toy.assignments if a.duty is Duty.PADAL and a.target == post.kecamatan
    )
    kapolsek = next(
        o for o in oku.dataset.personnel if o.unit_code == post.sector and o.function == "Kapolsek"
    )
    assert "SURAT PERINTAH TUGAS" in text
    assert leader.name in text and f"{leader.rank.name} / {leader.nrp}" in text
    assert f"Ketua Tim pos {post.id} (Rawan)" in text
    assert tps.label in text and oku.dataset.area_by_code[tps.desa_code].name in text
    assert member.nrp in text and padal in text and kapolsek.nrp in text


def test_page_gives_schedule_and_forbids_recording_votes(pair_pdf: Path) -> None:
    """Times come from the operation file in WIB; the page forbids recording vote counts."""
    text = " ".join(pdf_text(pair_pdf, 2, 2).split())
    for expected in ("05.00 WIB", "06.30 WIB", "07.00 WIB - 13.00 WIB", "Rabu, 14 Februari 2024"):
        assert expected in text
    assert "DILARANG mencatat, memotret atau melaporkan perolehan suara" in text
    assert "KPPS" in text and "Pengawas TPS" in text


def test_qr_code_carries_a_token_for_the_officer_and_post(
    pair_pdf: Path, oku: Scenario, toy: Plan, tmp_path: Path
) -> None:
    """The printed QR decodes to a token that verifies to the officer's NRP and post."""
    zxingcpp = pytest.importorskip("zxingcpp")
    image = pytest.importorskip("PIL.Image")
    png = render_page(pair_pdf, 1, tmp_path)
    found = zxingcpp.read_barcodes(image.open(png))
    assert len(found) == 1
    claims = verify_token(
        b"test-secret-for-output-tests-only", found[0].text, datetime(2024, 2, 14, 6, 0, tzinfo=WIB)
    )
    leader = rawan_pair(oku, toy)[0]
    assert claims.nrp == leader
    assert leader in {a.nrp for a in toy.team(claims.post_id)}
    assert claims.plan_version == toy.version


def test_tokens_last_until_the_end_of_the_day_after_voting(pair_pdf: Path) -> None:
    """Counting may run past midnight, so the code stays valid through 15 February (WIB)."""
    text = " ".join(pdf_text(pair_pdf, 1, 1).split())
    assert "Berlaku sampai 15 Februari 2024 23.59 WIB" in text


def test_an_officer_not_on_a_post_is_refused(oku: Scenario, toy: Plan, tmp_path: Path) -> None:
    """Asking for someone with another duty names him instead of printing nothing."""
    reserve = next(a.nrp for a in toy.assignments if a.duty is Duty.RESERVE)
    with pytest.raises(ValueError, match=f"not on a post in this plan: {reserve}"):
        write_order_sheets(toy, oku, tmp_path / "x.pdf", b"s" * 16, officers=[reserve])


def test_every_officer_of_a_sector_gets_exactly_one_page(
    oku: Scenario, toy: Plan, tmp_path: Path, secret: bytes
) -> None:
    """Ulu Ogan's 12 post officers give 12 pages, in post order, none spilling over."""
    plan = one_sector(toy, "polsek.16.01.20")
    path = write_order_sheets(plan, oku, tmp_path / "ulu-ogan.pdf", secret)
    nrps = [a.nrp for post in plan.posts for a in plan.team(post.id)]
    assert page_count(path) == len(nrps) == 12
    assert nrps[0] in pdf_text(path, 1, 1) and nrps[-1] in pdf_text(path, 12, 12)


def test_a_post_of_many_tps_still_fits_one_page(
    oku: Scenario, toy: Plan, tmp_path: Path, secret: bytes
) -> None:
    """A post of 40 TPS is listed by desa, so its order stays on one page."""
    big = replace(toy.posts[0], tps=[t.code for t in oku.dataset.tps[:40]])
    plan = replace(toy, posts=[big, *toy.posts[1:]])
    leader = plan.team(big.id)[0].nrp
    path = write_order_sheets(plan, oku, tmp_path / "big.pdf", secret, officers=[leader])
    assert page_count(path) == 1
    assert "(Negeri Sindang)" not in pdf_text(path) and "TPS 001-" in pdf_text(path)
