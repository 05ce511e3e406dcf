"""Names where the pages would otherwise show codes: people (usernames, NRP), TPS, posts, scopes.

A page names a person as people say it ("Aiptu Budi Santoso", "Ketua KPPS TPS 901 · Desa Air
Paoh"), never as a login (``sim.71012645``, ``kpps.1601142015901.1``, ``system:demo``); a TPS by
its number and desa, a post by its first TPS. Codes stay available as secondary text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pamtps.i18n import t
from pamtps.store import Session, views
from pamtps.store.incidents import code_names
from pamtps.store.security import people_of, personnel_named, tps_places

SYSTEM_PREFIX = "system:"


def desa_label(name: str, kind: str | None, lang: str | None = None) -> str:
    """'Desa Air Paoh' or 'Kelurahan Sukaraya'."""
    return t("name.desa." + (kind if kind == "kelurahan" else "desa"), lang, name=name)


def desa_labels(session: Session, lang: str | None = None) -> dict[str, str]:
    """Every stored desa's label by code (what a page's script names a TPS with)."""
    return {code: desa_label(name, kind, lang)
            for code, name, kind in views.desa_names_and_kinds(session)}


def tps_text(number: int | str, desa: str, lang: str | None = None) -> str:
    """'TPS 901 · Desa Air Paoh' from the TPS number and the desa's label."""
    number = f"{int(number):03d}"
    return t("name.tps", lang, number=number, desa=desa) if desa else f"TPS {number}"


def tps_names(session: Session, codes: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """'TPS 901 · Desa Air Paoh' for each stored TPS among ``codes``."""
    return {code: tps_text(number, desa_label(name, kind, lang), lang)
            for code, number, _, name, kind in tps_places(session, codes)}


def tps_name(session: Session, code: str, lang: str | None = None) -> str:
    """One TPS's name; its code if it is not stored."""
    return tps_names(session, [code], lang).get(code, code)


def post_name(tps_codes: Sequence[str], names: dict[str, str], lang: str | None = None) -> str:
    """A post as people say it: by its first TPS, and how many more it guards."""
    if not tps_codes:
        return ""
    first = names.get(tps_codes[0], tps_codes[0])
    more = len(tps_codes) - 1
    return t("name.post_more", lang, tps=first, more=more) if more else t("name.post", lang,
                                                                          tps=first)


def people_names(
    session: Session, usernames: Iterable[str], lang: str | None = None
) -> dict[str, str]:
    """How each of ``usernames`` is named on a page: an officer by rank and name, a TPS liaison
    by the name he gave and his role at his TPS, the system as such, anyone else by his display
    name. A name not stored (a deleted user) stays as it is."""
    wanted = set(usernames)
    names = {u: t("name.system", lang) for u in wanted if u.startswith(SYSTEM_PREFIX)}
    rows = people_of(session, wanted - names.keys())
    liaison_tps = [scope for _, _, role, scope, _, _ in rows if role == "liaison" and scope]
    tps = tps_names(session, liaison_tps, lang)
    for username, display, role, scope, rank, name in rows:
        if name:
            names[username] = f"{rank or ''} {name}".strip()
        elif role == "liaison" and scope:
            holder = t("escorts.holder." + username.split(".", 1)[0], lang)
            where = t("name.liaison", lang, holder=holder, tps=tps.get(scope, scope))
            named = display and not display.endswith(scope)  # not the default 'Ketua KPPS <code>'
            names[username] = (t("name.with_role", lang, name=display, role=where) if named
                               else where)
        else:
            names[username] = display or username
    return names | {u: u for u in wanted - names.keys()}


def scope_names(session: Session, scopes: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """What each user scope code names: a Polsek or kecamatan by name, a TPS as 'TPS 901 · Desa
    Air Paoh', an officer's NRP by his rank and name. An unknown code names itself."""
    wanted = {code for code in scopes if code}
    names = {code: name for code, name in code_names(session).items() if code in wanted}
    names |= tps_names(session, wanted - names.keys(), lang)
    names |= personnel_named(session, wanted - names.keys())
    return names | {code: code for code in wanted - names.keys()}
