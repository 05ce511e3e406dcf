"""The SMS channel: `pamtps sms register`, `unregister`, `senders`, `replies`, `secret`,
`card`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from pamtps.cli.app import app, console, fail, open_database

sms_app = typer.Typer(help="Reports by SMS: registered numbers, the gateway key, the SMS card.")
app.add_typer(sms_app, name="sms")


def _secret() -> bytes:
    from pamtps.settings import Settings

    return Settings().secret_key.get_secret_value().encode()


@sms_app.command("register")
def register(
    target: Annotated[str, typer.Argument(
        help="An officer's NRP, or '<TPS code>-kpps' / '<TPS code>-pengawas' for a liaison.")],
    phone: Annotated[str, typer.Argument(help="The phone number, e.g. 0812-3456-7890.")],
) -> None:
    """Register a phone number: its SMS report as an officer or as a TPS's liaison."""
    from pamtps.ops.errors import ServiceError
    from pamtps.ops.sms.phone import normalized
    from pamtps.ops.sms.senders import register as register_number

    with open_database().session() as session:
        try:
            user = register_number(session, target, phone, "cli", datetime.now(UTC))
        except ServiceError as error:
            raise fail(_message(error)) from None
        console.print(f"Terdaftar / registered: {normalized(phone)} -> {user.username} "
                      f"({user.role.value})", highlight=False)


@sms_app.command("unregister")
def unregister(phone: Annotated[str, typer.Argument(help="The registered number.")]) -> None:
    """Remove a registered number: its SMS apply nothing from now on."""
    from pamtps.ops.errors import ServiceError
    from pamtps.ops.sms.senders import unregister as unregister_number

    with open_database().session() as session:
        try:
            unregister_number(session, phone, "cli")
        except ServiceError as error:
            raise fail(_message(error)) from None
    console.print("Dihapus / removed.", highlight=False)


@sms_app.command("senders")
def list_senders() -> None:
    """The registered numbers and whose they are."""
    from pamtps.store.sms import senders

    with open_database().session() as session:
        for sender, user in senders(session):
            console.print(f"{sender.phone}  {user.username}  {user.role}  {user.nrp or ''}",
                          highlight=False)


@sms_app.command("replies")
def replies(
    state: Annotated[str, typer.Option(
        help="The states to list, comma-separated: pending, sent, failed.")] = "pending,failed",
    retry: Annotated[int | None, typer.Option(
        help="Queue this failed reply again (its id) instead of listing.")] = None,
) -> None:
    """The replies to SMS reports not sent yet (pending or failed), newest first, with the
    count in each state; --retry ID sends a failed one again."""
    from pamtps.ops import audit
    from pamtps.ops.sms.outbound import STATES
    from pamtps.store import sms as stored

    states = tuple(part.strip() for part in state.split(",") if part.strip())
    if not states or set(states) - set(STATES):
        raise fail(f"--state: choose from {', '.join(STATES)}")
    with open_database().session() as session:
        if retry is not None:
            row = stored.retry_reply(session, retry, datetime.now(UTC))
            if row is None:
                raise fail(f"no failed reply {retry}")
            audit.record(session, "cli", "sms.reply_retried", f"sms_reply:{retry}",
                         {"to": row.phone})
            console.print(f"{retry} -> pending ({row.phone})", highlight=False)
            return
        counts = stored.reply_counts(session)
        console.print(", ".join(f"{name} {counts.get(name, 0)}" for name in STATES),
                      highlight=False)
        for row in stored.replies(session, states):
            why = f"  ({row.last_error})" if row.last_error else ""
            console.print(f"{row.id}  {row.state}  {row.attempts}x  {row.phone}  "
                          f"{row.text[:60]}{why}", highlight=False)


@sms_app.command("secret")
def secret() -> None:
    """The key to enter in the SMS gateway (the Android app's signing key, or the form's
    secret); derived from PAMTPS_SECRET_KEY, so it changes when that key does."""
    from pamtps.ops.sms.gateway import gateway_key

    console.print(gateway_key(_secret()), highlight=False)


@sms_app.command("card")
def card(
    out: Annotated[Path, typer.Option("--out", "-o", help="The PDF to write.")] = Path(
        "kartu-sms.pdf"),
    number: Annotated[str, typer.Option(help="The gateway's phone number printed on the card.")]
    = "",
    personal: Annotated[bool, typer.Option(
        help="One card per officer with an order in force, with his HADIR code.")] = False,
) -> None:
    """The printable SMS syntax card (PDF) for the order packet."""
    from pamtps.documents.sms_card import CardOfficer, sms_card_pdf
    from pamtps.ops.sms.cards import officers_cards

    officers: list[CardOfficer] = []
    if personal:
        with open_database().session() as session:
            officers = officers_cards(session, _secret())
        if not officers:
            raise fail("no orders in force: publish a plan first (or leave out --personal)")
    out.write_bytes(sms_card_pdf(number, officers))
    console.print(f"{out} ({len(officers) or 1} kartu)", highlight=False)


def _message(error: Exception) -> str:
    from pamtps.i18n import t
    from pamtps.ops.errors import ServiceError

    assert isinstance(error, ServiceError)
    return t(error.key, "id", **error.params)
