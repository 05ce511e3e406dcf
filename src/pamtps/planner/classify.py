"""Polri's class of every TPS, decided rule by rule, each TPS with the reasons for its class.

The rules, in the order they are applied: TPS khusus, Bawaslu's indicators on the TPS, the
geographic pre-screen (the N hardest to reach are rawan) and, last, the Polri overrides of the
operation file. The most demanding class any rule gives wins; an override wins over every rule,
up or down, and says so. Khusus ranks between rawan and sangat rawan: a special TPS with
sangat-rawan indicators is sangat rawan, a special TPS among the hardest to reach stays khusus.
"""

from __future__ import annotations

from pamtps.domain import Tps, TpsKind, VulnerabilityClass
from pamtps.domain.operation import ClassificationConfig
from pamtps.domain.plan import Scenario
from pamtps.planner.prescreen import Indicators, PrescreenScore, prescreen
from pamtps.planner.travel import TravelModel

V = VulnerabilityClass
SEVERITY = {V.KURANG_RAWAN: 0, V.RAWAN: 1, V.KHUSUS: 2, V.SANGAT_RAWAN: 3}
Finding = tuple[VulnerabilityClass, str]


def label(cls: VulnerabilityClass) -> str:
    """'sangat rawan' for VulnerabilityClass.SANGAT_RAWAN."""
    return cls.value.replace("_", " ")


def tps_khusus(tps: Tps, config: ClassificationConfig) -> list[Finding]:
    """A special TPS (number 900 and up) is class khusus, when the operation says so."""
    if tps.kind is TpsKind.KHUSUS and config.khusus_is_class:
        return [(V.KHUSUS, f"TPS khusus (number {tps.number}): khusus")]
    return []


def bawaslu_indicators(tps: Tps, config: ClassificationConfig) -> list[Finding]:
    """Bawaslu indicators on the TPS: listed ones make it (sangat) rawan, or enough of any."""
    findings = []
    for key in sorted(tps.indicators & set(config.sangat_rawan_indicators)):
        findings.append((V.SANGAT_RAWAN, f"Bawaslu indicator {key}: sangat rawan"))
    for key in sorted(tps.indicators & set(config.rawan_indicators)):
        findings.append((V.RAWAN, f"Bawaslu indicator {key}: rawan"))
    enough = config.min_indicators_for_rawan
    if enough and len(tps.indicators) >= enough:
        keys = ", ".join(sorted(tps.indicators))
        findings.append((V.RAWAN, f"{len(tps.indicators)} Bawaslu indicators ({keys}), "
                                  f"{enough} or more: rawan"))
    return findings


def geographic_prescreen(
    scores: list[PrescreenScore], config: ClassificationConfig
) -> dict[str, Finding]:
    """The ``prescreen_rawan`` TPS ranked hardest to reach are rawan."""
    return {
        s.tps: (V.RAWAN, f"pre-screen: {s.describe()}")
        for s in scores
        if s.rank <= config.prescreen_rawan
    }


def polri_override(
    code: str, ruled: VulnerabilityClass, config: ClassificationConfig
) -> Finding | None:
    """The class Polri decided for the TPS in the operation file, whatever the rules gave."""
    decided = config.overrides.get(code)
    if decided is None:
        return None
    return decided, f"Polri override: {label(decided)} (the rules gave {label(ruled)})"


def no_rule_applies(tps: Tps, score: PrescreenScore | None, config: ClassificationConfig) -> str:
    """Why a TPS is kurang rawan: 'no indicator; not among the 20 hardest to reach ...'."""
    indicators = (
        f"Bawaslu indicators {', '.join(sorted(tps.indicators))} not in the rules"
        if tps.indicators
        else "no indicator"
    )
    if score is None:
        return f"{indicators}; geographic pre-screen off"
    return (
        f"{indicators}; not among the {config.prescreen_rawan} hardest to reach "
        f"(rank {score.rank} of {score.of})"
    )


def classify(
    scenario: Scenario,
    *,
    indicators: Indicators | None = None,
    travel: TravelModel | None = None,
) -> tuple[dict[str, VulnerabilityClass], dict[str, list[str]]]:
    """Every TPS's class and the reasons for it (TPS code -> class, TPS code -> reasons).

    ``indicators`` (PODES desa indicators, optional) and ``travel`` go to the pre-screen, which
    runs only when the operation asks for pre-screened rawan TPS.
    """
    config = scenario.operation.classification
    tps_list = scenario.dataset.tps
    unknown = sorted(set(config.overrides) - {t.code for t in tps_list})
    if unknown:
        names = ", ".join(unknown)
        raise ValueError(f"classification.overrides: no such TPS in the dataset: {names}")
    scores: dict[str, PrescreenScore] = {}
    if config.prescreen_rawan:
        scores = {s.tps: s for s in prescreen(scenario, indicators, travel)}
    screened = geographic_prescreen(list(scores.values()), config)
    classes: dict[str, VulnerabilityClass] = {}
    reasons: dict[str, list[str]] = {}
    for tps in tps_list:
        findings = tps_khusus(tps, config) + bawaslu_indicators(tps, config)
        if tps.code in screened:
            findings.append(screened[tps.code])
        findings.sort(key=lambda f: -SEVERITY[f[0]])  # stable: rule order within a class
        ruled = findings[0][0] if findings else V.KURANG_RAWAN
        texts = [text for _, text in findings] or [
            no_rule_applies(tps, scores.get(tps.code), config)
        ]
        override = polri_override(tps.code, ruled, config)
        if override is not None:
            ruled = override[0]
            texts.insert(0, override[1])
        classes[tps.code], reasons[tps.code] = ruled, texts
    return classes, reasons
