"""Does every word a page shows come from the Indonesian catalogue or from the page's data?

A page is read as its user sees it: every visible text node, and the texts a user meets without
reading the page's body (the tab's title, ``title``, ``placeholder`` and ``aria-label``
attributes, the values of buttons). Each text is cut into tokens at white space; a token holding
a digit is data (a number, a date, a time, a code such as ``polsek.16.01.14`` or ``1601142015901``)
and passes. Every word of the other tokens must be a word of some Indonesian catalogue message
(its ``{placeholders}`` taken out) or a word of the page's data: the names of areas, units,
guarded objects, personnel and users stored, and what the test itself typed. So an English
word that no Indonesian message uses ("Failed", "fetch", "owner", "reports", "Unprocessable")
fails the check, wherever on the page it appears.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from pamtps.i18n import catalog
from pamtps.store import Database
from pamtps.store.tables.reference import AreaRow, GuardedObjectRow, PersonnelRow, UnitRow
from pamtps.store.tables.security import UserRow

WORD = re.compile(r"[^\W\d_]+")
PLACEHOLDER = re.compile(r"\{\w+\}")

SHOWN_TEXTS = r"""() => {
  const texts = [];
  const shown = (element) => {
    if (element.closest("script, style, template, [hidden]")) return false;
    const style = getComputedStyle(element);
    return style.display !== "none" && style.visibility !== "hidden";
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (text && node.parentElement && shown(node.parentElement)) texts.push(text);
  }
  for (const element of document.querySelectorAll("[title], [placeholder], [aria-label]")) {
    for (const name of ["title", "placeholder", "aria-label"]) {
      const value = (element.getAttribute(name) || "").trim();
      if (value) texts.push(value);
    }
  }
  for (const button of document.querySelectorAll("input[type=submit], input[type=button]")) {
    if (button.value.trim()) texts.push(button.value.trim());
  }
  texts.push(document.title);
  return texts;
}"""


def words_of(texts: Iterable[str]) -> set[str]:
    """The words (letters only, case folded) of some texts."""
    return {word.casefold() for text in texts for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


def catalogue_words(lang: str = "id") -> set[str]:
    """Every word of the catalogue's messages in ``lang``."""
    return words_of(catalog(lang).values())


def stored_names(database: Database) -> set[str]:
    """The words of every name the store holds: areas, units, guarded objects, personnel (rank
    and name) and users (display names; login names on the admin's user list): the data a page
    may show as it is."""
    with database.session() as session:
        names = [name for row in (AreaRow, UnitRow, GuardedObjectRow)
                 for name in session.scalars(select(row.name))]
        names += [f"{rank} {name}" for rank, name in
                  session.execute(select(PersonnelRow.rank, PersonnelRow.name))]
        names += list(session.scalars(select(UserRow.display_name)))
        names += [name.replace(".", " ") for name in session.scalars(select(UserRow.username))]
    return words_of(names)


def shown_texts(page: Any) -> list[str]:
    """What ``page`` shows its user now (see the module's docstring)."""
    texts: list[str] = page.evaluate(SHOWN_TEXTS)
    return list(dict.fromkeys(texts))


def uncatalogued(texts: Iterable[str], allowed: set[str]) -> dict[str, list[str]]:
    """The texts holding a word that is neither catalogue nor data, with those words."""
    found: dict[str, list[str]] = {}
    for text in texts:
        for token in text.split():
            if any(character.isdigit() for character in token):
                continue  # a number, date, time or code: data
            strangers = [w for w in WORD.findall(token) if w.casefold() not in allowed]
            if strangers:
                found.setdefault(text[:120], []).extend(strangers)
    return found
