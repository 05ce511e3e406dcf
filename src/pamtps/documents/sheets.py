"""The Sprint attachment as plain tables, laid out once for both the XLSX and the PDF writer.

A ``Sheet`` is a titled table: columns with print widths and rows of cells. The sector sheets
list every officer on a post once; the post's own columns (``Column.group``) repeat on each of
its rows so that the spreadsheet sorts and filters, and the PDF prints them once per post.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pamtps.documents import labels
from pamtps.documents.view import PlanView
from pamtps.domain import Officer, Origin, Unit, VulnerabilityClass
from pamtps.domain.forces import ForceSettings, force_settings
from pamtps.domain.plan import Duty

Cell = str | int


@dataclass(frozen=True)
class Column:
    title: str
    width_mm: float
    group: bool = False  # a property of the post (or station), the same on all its rows
    number: bool = False  # right-aligned, a count


@dataclass
class Sheet:
    """One titled table: a tab in the workbook, a section in the PDF."""

    name: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    group_starts: list[bool] = field(default_factory=list)  # per row: a new post starts here
    total_row: bool = False

    def add(self, row: list[Cell], starts_group: bool = True) -> None:
        self.rows.append(row)
        self.group_starts.append(starts_group)


SECTOR_COLUMNS = [
    Column("No", 7, number=True),
    Column("Pos", 29, group=True),
    Column("Kelas", 13, group=True),
    Column("TPS", 36, group=True),
    Column("Desa/Kelurahan", 24, group=True),
    Column("Kecamatan", 20, group=True),
    Column("Pangkat", 12),
    Column("Nama", 36),
    Column("NRP", 15),
    Column("Satuan", 29),
    Column("Peran", 14),
    Column("Pasangan", 38),
]
CLASSES = list(VulnerabilityClass)


def lampiran(view: PlanView) -> tuple[str, list[tuple[str, str]]]:
    """The attachment's heading and its number and date, left blank for the Polres to fill."""
    day = view.operation.voting_day
    title = f"LAMPIRAN SURAT PERINTAH KAPOLRES {view.regency_name.upper()}"
    return title, [
        ("NOMOR", labels.sprint_number(day)),
        ("TANGGAL", labels.BLANK + labels.month_year(day)),
    ]


def subtitle(view: PlanView) -> str:
    day = labels.long_date(view.operation.voting_day)
    return f"{view.operation.name.upper()} - PEMUNGUTAN SUARA {day.upper()}"


def satuan(view: PlanView, officer: Officer) -> str:
    """The officer's unit; for Polres HQ staff his function there ('Sat Samapta Polres OKU')."""
    unit = view.unit_name(officer.unit_code)
    if officer.origin is Origin.POLRES and officer.function:
        return f"{officer.function.removesuffix(' (Kepala)')} {unit}"
    return unit


def sector_sheet(view: PlanView, sector: Unit) -> Sheet:
    """Every officer on a post in the sector, post by post, the team leader first."""
    sheet = Sheet(
        sector.name, f"DAFTAR PERSONEL PENGAMANAN TPS SEKTOR {sector.name.upper()}", SECTOR_COLUMNS
    )
    number = 0
    for post in view.sector_posts(sector.code):
        team = view.team(post.id)
        by_desa = view.tps_by_desa(post)
        post_cells: list[Cell] = [
            post.id,
            labels.class_label(post.vulnerability),
            # Numbers restart in every desa, so each line names its desa (and wraps safely).
            "\n".join(f"{numbers} ({desa})" for numbers, desa in by_desa),
            ", ".join(desa for _, desa in by_desa),
            view.area_name(post.kecamatan),
        ]
        for member in team:
            number += 1
            officer = member.officer
            partners = "; ".join(m.display for m in team if m is not member)
            sheet.add(
                [
                    number,
                    *post_cells,
                    officer.rank.name,
                    officer.name,
                    officer.nrp,
                    satuan(view, officer),
                    labels.role_label(member.assignment.leader),
                    partners,
                ],
                starts_group=member is team[0],
            )
    return sheet


def rekap_sheet(view: PlanView) -> Sheet:
    """Per sector: TPS by class, posts and officers on posts, with a total."""
    columns = [Column("No", 8, number=True), Column("Sektor", 42), Column("Kecamatan", 60)]
    columns += [Column(f"TPS {labels.class_label(c)}", 22, number=True) for c in CLASSES]
    columns += [Column(t, 20, number=True) for t in ("Jumlah TPS", "Pos", "Personel Pos", "Padal")]
    sheet = Sheet("Rekap", "REKAPITULASI PENGAMANAN TPS PER SEKTOR", columns)
    totals: Counter[str] = Counter()
    for number, sector in enumerate(view.sectors, start=1):
        posts = view.sector_posts(sector.code)
        kecamatan = view.sector_kecamatan(sector.code)
        classes = Counter(view.class_of(t) for p in posts for t in view.post_tps(p))
        counts = {
            **{c.value: classes[c] for c in CLASSES},
            "tps": sum(classes.values()),
            "posts": len(posts),
            "officers": sum(len(view.team(p.id)) for p in posts),
            "padal": sum(len(view.padal(k)) for k in kecamatan),
        }
        totals.update(counts)
        names = ", ".join(view.area_name(k) for k in kecamatan)
        sheet.add([number, sector.name, names, *counts.values()])
    keys = [c.value for c in CLASSES] + ["tps", "posts", "officers", "padal"]
    sheet.add(["", "JUMLAH", "", *(totals[k] for k in keys)])
    sheet.total_row = True
    return sheet


MODE_LABELS = {
    "allocation": "alokasi (kekuatan ditetapkan, pola menyesuaikan)",
    "requirement": "kebutuhan (pola ditetapkan, kekurangan dilaporkan)",
}


def settings_rows(settings: ForceSettings) -> list[tuple[str, str]]:
    """The operation's forces and settings as (label, value), in Bahasa Indonesia."""
    bko = f"{settings.bko_polri} personel"
    if settings.bko_polri != settings.bko_polri_on_roster:
        bko += f" (dari {settings.bko_polri_on_roster} BKO Polri di daftar personel)"
    return [
        ("Mode perencanaan", MODE_LABELS.get(settings.mode, settings.mode)),
        ("Kekuatan sendiri Polres", f"{settings.strength} personel "
                                    f"(di Polsek {settings.polsek})"),
        ("Bagian untuk pengamanan TPS", f"{settings.tps_share} = {settings.tps_quota} personel"),
        ("BKO Polri untuk pengamanan TPS", bko),
        ("Brimob", f"{settings.brimob} personel dalam {settings.brimob_platoons} peleton"),
        ("TNI (BKO Kodim)", f"{settings.tni} personel"),
        ("TPS rawan hasil pra-penyaringan geografis", f"{settings.prescreen_rawan} TPS"),
    ]


def forces_sheet(view: PlanView) -> Sheet:
    """The strength and the settings the plan was made with."""
    columns = [Column("No", 8, number=True), Column("Uraian", 90), Column("Nilai", 140)]
    sheet = Sheet("Kekuatan", "KEKUATAN DAN PENGATURAN OPERASI", columns)
    rows = settings_rows(force_settings(view.scenario))
    for number, (label, value) in enumerate(rows, start=1):
        sheet.add([number, label, value])
    return sheet


def padal_sheet(view: PlanView) -> Sheet:
    """The controlling officers (Padal) of each kecamatan and what they control."""
    columns = [
        Column("No", 8, number=True),
        Column("Kecamatan", 36, group=True),
        Column("Sektor", 40, group=True),
        Column("Pangkat", 16),
        Column("Nama", 50),
        Column("NRP", 20),
        Column("Satuan", 55),
        Column("Pos", 16, number=True),
        Column("TPS", 16, number=True),
    ]
    sheet = Sheet("Padal", "DAFTAR PERWIRA PENGENDALI (PADAL) PER KECAMATAN", columns)
    posts_in: Counter[str] = Counter()
    tps_in: Counter[str] = Counter()
    for post in view.plan.posts:
        posts_in[post.kecamatan] += 1
        tps_in[post.kecamatan] += len(post.tps)
    number = 0
    for kecamatan in sorted({m.assignment.target for m in view.by_duty[Duty.PADAL]}):
        sector = view.dataset.sector_of(kecamatan)
        for i, officer in enumerate(view.padal(kecamatan)):
            number += 1
            sheet.add(
                [
                    number,
                    view.area_name(kecamatan),
                    sector.name if sector else "",
                    officer.rank.name,
                    officer.name,
                    officer.nrp,
                    satuan(view, officer),
                    posts_in[kecamatan],
                    tps_in[kecamatan],
                ],
                i == 0,
            )
    return sheet


def station_sheet(view: PlanView, duty: Duty) -> Sheet:
    """The reserve by station, or the object guards by object, unit by unit."""
    name, title, place = {
        Duty.RESERVE: ("Cadangan", "DAFTAR PASUKAN CADANGAN PER TEMPAT SIAGA", "Tempat Siaga"),
        Duty.GUARD: ("Pam Objek", "DAFTAR PERSONEL PENGAMANAN OBJEK", "Objek"),
    }[duty]
    columns = [
        Column("No", 8, number=True),
        Column(place, 60),
        Column("Satuan", 65),
        Column("Pangkat", 18),
        Column("Nama", 60),
        Column("NRP", 25),
        Column("Fungsi", 37),
    ]
    sheet = Sheet(name, title, columns)
    number = 0
    for station, members in view.stations(duty).items():
        for member in members:
            number += 1
            officer = member.officer
            sheet.add(
                [
                    number,
                    view.station_name(station),
                    view.unit_name(officer.unit_code),
                    officer.rank.name,
                    officer.name,
                    officer.nrp,
                    officer.function,
                ]
            )
    return sheet


def attachment(view: PlanView, sector: str | None = None) -> list[Sheet]:
    """The whole attachment (Rekap, Kekuatan, a sheet per sector, Padal, Pam Objek, Cadangan) or one
    sector's sheet; sheets without anyone in them are left out."""
    if sector is not None:
        units = [unit for unit in view.sectors if unit.code == sector]
        if not units:
            raise ValueError(f"no posts in sector {sector!r}")
        return [sector_sheet(view, units[0])]
    sheets = [rekap_sheet(view), forces_sheet(view)]
    sheets += [sector_sheet(view, unit) for unit in view.sectors]
    if view.by_duty[Duty.PADAL]:
        sheets.append(padal_sheet(view))
    sheets += [station_sheet(view, d) for d in (Duty.GUARD, Duty.RESERVE) if view.by_duty[d]]
    return sheets
