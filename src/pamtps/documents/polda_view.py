"""The viewer of a Polda's (or the nation's) run: a static, self-contained HTML page.

Built from any folder of per-Polres records (``<folder>/polres/<code>.json``), so a Polda's run
and the nation's are viewed alike: counts by Polres (TPS, rawan, officers on TPS, BKO received,
shortfall) with the totals, and a link to each Polres's map (``<code>/peta-rencana.png``) where
its plan's documents were written. ``index.html`` is in Bahasa Indonesia, ``index.en.html`` in
English, each linking to the other. Under 640 px the table becomes one card per Polres, so the
page never scrolls sideways on a phone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape
from pathlib import Path

from pamtps.domain.scale import PolresResult
from pamtps.i18n import number_text, t

PAGES = {"id": "index.html", "en": "index.en.html"}
MAP_FILE = "peta-rencana.png"
COLUMNS = ("tps", "rawan", "own", "received", "rawan_short", "shortfall")

STYLE = """
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,sans-serif;color:#1b1b1b;
background:#f6f7f9}main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.3rem;margin:.2rem 0}p{margin:.4rem 0}
nav{display:flex;justify-content:space-between;gap:8px;flex-wrap:wrap;align-items:baseline}
a{color:#0b57d0}a:focus-visible{outline:3px solid #0b57d0}
table{width:100%;border-collapse:collapse;background:#fff;margin-top:12px}
th,td{border:1px solid #d0d4da;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#e9ecf1;font-size:.85rem}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;background:#eef1f5}.short{color:#a50e0e;font-weight:700}
.note{font-size:.85rem;color:#4a4f57}
@media (max-width:640px){table,thead,tbody,tr,td{display:block;width:100%}thead{display:none}
tr{border:1px solid #d0d4da;margin:0 0 10px;background:#fff}td{border:0;border-bottom:1px solid
#eceef1;display:flex;justify-content:space-between;gap:12px;text-align:right}
td::before{content:attr(data-label);font-weight:600;text-align:left}td.n{text-align:right}}
"""


def read_records(folder: Path) -> Iterator[PolresResult]:
    """Every ``polres/*.json`` record of a run's folder, in code order; a damaged file raises
    ValueError naming it."""
    for path in sorted((folder / "polres").glob("*.json")):
        try:
            yield PolresResult.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"{path}: not a Polres record: {error}") from None


def _values(record: PolresResult) -> dict[str, int]:
    return {"tps": record.tps, "rawan": record.rawan, "own": record.officers_own,
            "received": record.bko_polri + record.brimob + record.tni,
            "rawan_short": record.rawan_short, "shortfall": record.shortfall}


def _label(column: str, lang: str) -> str:
    return t(f"polda.col.{column}", lang)


def render(folder: Path, lang: str = "id") -> str:
    """The page for the records in ``folder`` in ``lang``."""
    records = list(read_records(folder))
    codes = sorted({r.polda_code for r in records})
    heading = t("polda.heading", lang, code=", ".join(codes) or "-", count=len(records))
    other = "en" if lang == "id" else "id"
    head = "".join(f"<th scope=col>{escape(_label(c, lang))}</th>"
                   for c in ("code", "polres", *COLUMNS, "map"))
    rows = []
    sums = dict.fromkeys(COLUMNS, 0)
    for record in records:
        values = _values(record)
        for key in COLUMNS:
            sums[key] += values[key]
        rows.append(_row(folder, record, values, lang))
    total = "".join(
        f'<td class=n data-label="{escape(_label(c, lang))}">{number_text(sums[c], lang)}</td>'
        for c in COLUMNS)
    body = (f"<tr class=total><td data-label=\"{escape(_label('code', lang))}\"></td>"
            f"<td data-label=\"{escape(_label('polres', lang))}\">{escape(t('polda.total', lang))}"
            f"</td>{total}<td></td></tr>") if records else ""
    notes = _notes(records, lang)
    empty = "" if records else f"<p>{escape(t('polda.empty', lang))}</p>"
    return (
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8>"
        f"<meta name=viewport content=\"width=device-width,initial-scale=1\">"
        f"<title>{escape(t('polda.title', lang))} - {escape(heading)}</title>"
        f"<style>{STYLE}</style></head><body><main><nav><h1>{escape(t('polda.title', lang))}</h1>"
        f"<a href=\"{PAGES[other]}\" hreflang={other}>{escape(t('polda.other_language', lang))}</a>"
        f"</nav><p>{escape(heading)}</p>{notes}{empty}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}{body}</tbody></table>"
        f"</main></body></html>\n"
    )


def _row(folder: Path, record: PolresResult, values: dict[str, int], lang: str) -> str:
    code = escape(record.polres_code)
    cells = [f'<td data-label="{escape(_label("code", lang))}">{code}</td>',
             f'<td data-label="{escape(_label("polres", lang))}">{escape(record.polres_name)}</td>']
    for key in COLUMNS:
        short = " short" if key in ("rawan_short", "shortfall") and values[key] else ""
        cells.append(f'<td class="n{short}" data-label="{escape(_label(key, lang))}">'
                     f"{number_text(values[key], lang)}</td>")
    map_path = folder / record.polres_code / MAP_FILE
    link = (f'<a href="{code}/{MAP_FILE}">{escape(t("polda.map_link", lang))} {code}</a>'
            if map_path.exists() else escape(t("polda.no_map", lang)))
    cells.append(f'<td data-label="{escape(_label("map", lang))}">{link}</td>')
    return f"<tr>{''.join(cells)}</tr>"


def _notes(records: list[PolresResult], lang: str) -> str:
    synthetic = sum(r.synthetic_roster for r in records)
    estimated = sum(r.estimated_positions for r in records)
    if not synthetic and not estimated:
        return ""
    text = t("polda.synthetic", lang, count=synthetic, estimated=estimated)
    return f"<p class=note>{escape(text)}</p>"


def write_viewer(folder: Path) -> list[Path]:
    """Write ``index.html`` (Indonesian) and ``index.en.html`` into ``folder``."""
    written = []
    for lang, name in PAGES.items():
        path = folder / name
        path.write_text(render(folder, lang), encoding="utf-8")
        written.append(path)
    return written
