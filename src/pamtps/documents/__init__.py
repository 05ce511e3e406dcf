"""What a plan becomes on paper and screen: the Sprint attachment (XLSX, PDF), order sheets
with signed QR codes, GeoJSON, a map and a terminal summary, all in Bahasa Indonesia.

Each writer is its own module; ``write_all`` writes the whole set into one folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from pamtps.domain.plan import Plan, Scenario


def write_all(
    plan: Plan, scenario: Scenario, out_dir: str | Path, secret: bytes, *, per_sector: bool = False
) -> list[Path]:
    """Write every output into ``out_dir`` (created if missing); returns the files written.

    The Sprint PDF is one file (``sprint.pdf``) or, with ``per_sector``, one per Polsek
    (``sprint-polsek-<name>.pdf``) to hand each sector its own pages.
    """
    # Imported here so that a light user of one module (the field service checking tokens)
    # does not load reportlab and matplotlib.
    from pamtps.documents.geojson import write_plan_geojson
    from pamtps.documents.orders_pdf import write_order_sheets
    from pamtps.documents.plan_map import write_plan_png
    from pamtps.documents.sprint_pdf import write_sprint_pdf
    from pamtps.documents.sprint_xlsx import write_sprint_xlsx
    from pamtps.documents.view import PlanView

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if per_sector:
        sprints = [
            write_sprint_pdf(plan, scenario, out / f"sprint-{_slug(unit.name)}.pdf", unit.code)
            for unit in PlanView(plan, scenario).sectors
        ]
    else:
        sprints = [write_sprint_pdf(plan, scenario, out / "sprint.pdf")]
    return [
        *sprints,
        write_sprint_xlsx(plan, scenario, out / "sprint.xlsx"),
        write_order_sheets(plan, scenario, out / "perintah-personel.pdf", secret),
        write_plan_geojson(plan, scenario, out / "plan.geojson"),
        write_plan_png(plan, scenario, out / "peta-rencana.png"),
    ]


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")
