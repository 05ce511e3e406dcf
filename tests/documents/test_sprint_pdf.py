"""The Sprint attachment as PDF: valid, a section per sector, numbered pages, ready to sign."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamtps.documents.sprint_pdf import write_sprint_pdf
from pamtps.domain.plan import Duty, Plan, Scenario
from tests.documents.pdf_tools import is_pdf, page_count, pdf_text


@pytest.fixture(scope="module")
def whole(oku: Scenario, toy: Plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sprint_pdf(toy, oku, tmp_path_factory.mktemp("pdf") / "sprint.pdf")


def test_whole_attachment_is_a_pdf_of_plausible_length(whole: Path, toy: Plan) -> None:
    """A valid PDF of 16 sections (Rekap, Kekuatan, 11 sectors, Padal, Pam Objek, Cadangan)."""
    rows = sum(
        1 for a in toy.assignments if a.duty in (Duty.POST, Duty.RESERVE, Duty.PADAL, Duty.GUARD)
    )
    assert is_pdf(whole)
    assert 16 <= page_count(whole) <= 16 + rows // 20


def test_every_sector_starts_its_own_section(whole: Path, oku: Scenario) -> None:
    """Each Polsek's list has its title, and the Kapolres' signature block closes each section."""
    text = pdf_text(whole)
    for unit in oku.dataset.polsek:
        assert f"DAFTAR PERSONEL PENGAMANAN TPS SEKTOR {unit.name.upper()}" in text
    assert text.count("KEPALA KEPOLISIAN RESOR OGAN KOMERING ULU") == 16


def test_one_sector_pdf_lists_its_officers_with_nrp(
    oku: Scenario, toy: Plan, tmp_path: Path
) -> None:
    """The Ulu Ogan file names each of its post officers by NRP under the Sprint heading."""
    sector = "polsek.16.01.20"
    path = write_sprint_pdf(toy, oku, tmp_path / "ulu-ogan.pdf", sector=sector)
    text = pdf_text(path)
    posts = {p.id for p in toy.posts if p.sector == sector}
    nrps = [a.nrp for a in toy.assignments if a.duty is Duty.POST and a.target in posts]
    assert page_count(path) == 1
    assert "LAMPIRAN SURAT PERINTAH KAPOLRES OGAN KOMERING ULU" in text
    assert "Sprin/" in text and "/II/2024" in text
    assert all(nrp in text for nrp in nrps)
    assert "Ketua Tim" in text and "Pasangan" in text
    assert "Halaman 1 dari 1" in text


def test_pages_are_numbered_of_the_total(whole: Path) -> None:
    """The last page says 'Halaman N dari N'."""
    pages = page_count(whole)
    assert f"Halaman {pages} dari {pages}" in pdf_text(whole, pages, pages)


def test_a_sector_without_posts_is_refused(oku: Scenario, toy: Plan, tmp_path: Path) -> None:
    """Asking for an unknown sector is an error, not an empty document."""
    with pytest.raises(ValueError, match=r"no posts in sector 'polsek\.99'"):
        write_sprint_pdf(toy, oku, tmp_path / "x.pdf", sector="polsek.99")
