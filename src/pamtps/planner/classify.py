"""Polri's class of every TPS, decided rule by rule, each TPS with the reasons for its class.

The rules, in the order they are applied: TPS khusus, Bawaslu's indicators on the TPS, the
geographic pre-screen (the N hardest to reach are rawan), the imported Bawaslu rawan list (its
class stands) and, last, the Polri overrides of the operation file. Of the first three rules the
most demanding class wins; the list's class stands over them, and an override wins over every
rule, up or down, and says so. Khusus ranks between rawan and sangat rawan: a special TPS with
sangat-rawan indicators is sangat rawan, a special TPS among the hardest to reach stays khusus.
Each reason is a code with parameters (``Reason``), rendered in the reader's language by i18n.
"""

from __future__ import annotations

from pamtps.domain import Tps, TpsKind, VulnerabilityClass
from pamtps.domain.operation import ClassificationConfig
from pamtps.domain.plan import ClassReason, Reason, Scenario
from pamtps.domain.rawan import RawanListing
from pamtps.planner.prescreen import Indicators, PrescreenScore, prescreen
from pamtps.planner.travel import TravelModel

V = VulnerabilityClass
SEVERITY = {V.KURANG_RAWAN: 0, V.RAWAN: 1, V.KHUSUS: 2, V.SANGAT_RAWAN: 3}
Finding = tuple[VulnerabilityClass, Reason]


def label(cls: VulnerabilityClass) -> str:
    """'sangat rawan' for VulnerabilityClass.SANGAT_RAWAN."""
    return cls.value.replace("_", " ")


def tps_khusus(tps: Tps, config: ClassificationConfig) -> list[Finding]:
    """A special TPS (number 900 and up) is class khusus, when the operation says so."""
    if tps.kind is TpsKind.KHUSUS and config.khusus_is_class:
        return [(V.KHUSUS, Reason("tps_khusus", {"number": tps.number}))]
    return []


def bawaslu_indicators(tps: Tps, config: ClassificationConfig) -> list[Finding]:
    """Bawaslu indicators on the TPS: listed ones make it (sangat) rawan, or enough of any."""
    findings = []
    for key in sorted(tps.indicators & set(config.sangat_rawan_indicators)):
        findings.append((V.SANGAT_RAWAN, Reason("bawaslu_indicator",
                                                {"indicator": key, "cls": V.SANGAT_RAWAN.value})))
    for key in sorted(tps.indicators & set(config.rawan_indicators)):
        findings.append((V.RAWAN, Reason("bawaslu_indicator",
                                         {"indicator": key, "cls": V.RAWAN.value})))
    enough = config.min_indicators_for_rawan
    if enough and len(tps.indicators) >= enough:
        findings.append((V.RAWAN, Reason("bawaslu_indicator_count", {
            "count": len(tps.indicators), "indicators": sorted(tps.indicators), "min": enough})))
    return findings


def bawaslu_list(listing: RawanListing | None) -> Finding | None:
    """The class the imported Bawaslu rawan list gives the TPS, with its alasan and indicators."""
    if listing is None:
        return None
    return listing.kelas, Reason("bawaslu_list", {
        "cls": listing.kelas.value,
        "alasan": listing.alasan,
        "indicators": [list(pair) for pair in listing.indicators],
        "source": listing.source,
    })


def geographic_prescreen(
    scores: list[PrescreenScore], config: ClassificationConfig
) -> dict[str, Finding]:
    """The ``prescreen_rawan`` TPS ranked hardest to reach are rawan."""
    worst = config.prescreen_rawan
    return {s.tps: (V.RAWAN, prescreen_reason(s)) for s in scores if s.rank <= worst}


def prescreen_reason(score: PrescreenScore) -> Reason:
    """A pre-screen rank as a reason, with the indicators that drove it when the score has them."""
    drivers = getattr(score, "drivers", None) or []
    return Reason("prescreen", {
        "rank": score.rank,
        "of": score.of,
        "km": round(score.km_from_base, 1),
        "base": score.base_name,
        "density": None if score.tps_per_km2 is None
        else round(score.tps_per_km2, 2 if score.tps_per_km2 < 1 else 1),
        "drivers": [[str(key), float(value)] for key, value in drivers],
    })


def polri_override(
    code: str, ruled: VulnerabilityClass, config: ClassificationConfig
) -> Finding | None:
    """The class Polri decided for the TPS in the operation file, whatever the rules gave."""
    decided = config.overrides.get(code)
    if decided is None:
        return None
    return decided, Reason("override", {"cls": decided.value, "ruled": ruled.value})


def no_rule_applies(
    tps: Tps, score: PrescreenScore | None, config: ClassificationConfig, listed: bool
) -> Reason:
    """Why a TPS is kurang rawan: 'no indicator; not among the 20 hardest to reach ...'."""
    return Reason("no_rule", {
        "indicators": sorted(tps.indicators),
        "listed": listed,  # a Bawaslu list was imported and this TPS is not on it
        "prescreen": None if score is None else config.prescreen_rawan,
        "rank": None if score is None else score.rank,
        "of": None if score is None else score.of,
    })


def classify(
    scenario: Scenario,
    *,
    indicators: Indicators | None = None,
    travel: TravelModel | None = None,
) -> tuple[dict[str, VulnerabilityClass], dict[str, list[ClassReason]]]:
    """Every TPS's class and the reasons for it (TPS code -> class, TPS code -> reasons).

    A TPS on the imported Bawaslu rawan list gets the listed class, whatever the other rules
    give (Bawaslu, KPU and the Polres agreed it); only a Polri override changes it. With a list,
    the operation usually asks for no pre-screened TPS (``pamtps plan`` sets none unless told
    otherwise); when it asks for some, they are added to the list. ``indicators``
    (PODES desa indicators, optional) and ``travel`` go to the pre-screen, which runs only when
    the operation asks for pre-screened rawan TPS.
    """
    config = scenario.operation.classification
    tps_list = scenario.dataset.tps
    listed = scenario.dataset.bawaslu_rawan
    unknown = sorted(set(config.overrides) - {t.code for t in tps_list})
    if unknown:
        names = ", ".join(unknown)
        raise ValueError(f"classification.overrides: no such TPS in the dataset: {names}")
    scores: dict[str, PrescreenScore] = {}
    if config.prescreen_rawan:
        scores = {s.tps: s for s in prescreen(scenario, indicators, travel)}
    screened = geographic_prescreen(list(scores.values()), config)
    classes: dict[str, VulnerabilityClass] = {}
    reasons: dict[str, list[ClassReason]] = {}
    for tps in tps_list:
        findings = tps_khusus(tps, config) + bawaslu_indicators(tps, config)
        if tps.code in screened:
            findings.append(screened[tps.code])
        findings.sort(key=lambda f: -SEVERITY[f[0]])  # stable: rule order within a class
        ruled = findings[0][0] if findings else V.KURANG_RAWAN
        texts: list[ClassReason] = [reason for _, reason in findings]
        from_list = bawaslu_list(listed.get(tps.code))
        if from_list is not None:
            ruled = from_list[0]
            texts.insert(0, from_list[1])
        if not texts:
            texts = [no_rule_applies(tps, scores.get(tps.code), config, bool(listed))]
        override = polri_override(tps.code, ruled, config)
        if override is not None:
            ruled = override[0]
            texts.insert(0, override[1])
        classes[tps.code], reasons[tps.code] = ruled, texts
    return classes, reasons
