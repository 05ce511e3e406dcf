"""The replies to SMS reports, sent through the gateway's send API.

A real HTTP server on loopback stands in for "SMS Gateway for Android": it records every request
and answers as the app's local server does (202 when it queues the SMS, 409 for an id it holds
already), or with the failures a test scripts. The reply is queued in the transaction of the
SMS's write, posted once, retried after a failure, kept over a restart of the service, and never
sent to a number that is not registered.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from pamtps.ops.sms import inbound
from pamtps.ops.sms.outbound import send_once
from pamtps.settings import Settings, SmsSettings
from pamtps.store import Database
from pamtps.store.tables.sms import SmsMessageRow, SmsReplyRow
from pamtps.web.app import create_app
from tests.service.conftest import Login
from tests.service.sms.conftest import ANDI, STRANGER, Gateway, counts

ANDI_INTL = "+6281211112222"
USER, PASSWORD = "sms", "kata-sandi-gateway"
SEALS = "A11 A12 A13 A14 A15"


@dataclass
class FakeGateway:
    """The send API of the Android app's local server, on a real socket."""

    scripted: list[int] = field(default_factory=list)  # statuses to answer first, in order
    requests: list[dict[str, Any]] = field(default_factory=list)
    held: set[str] = field(default_factory=set)  # ids it has queued (a second one: 409)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/message"

    def sent(self) -> list[dict[str, Any]]:
        """The messages it accepted and would send (202), in order."""
        return [r["body"] for r in self.requests if r["status"] == 202]

    def answer(self, path: str, auth: str | None, body: dict[str, Any]) -> int:
        with self.lock:
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if auth != expected:
                status = 401
            elif path != "/message":
                status = 404
            elif self.scripted:
                status = self.scripted.pop(0)
            elif body["id"] in self.held:
                status = 409
            else:
                self.held.add(body["id"])
                status = 202
            self.requests.append({"path": path, "auth": auth, "body": body, "status": status})
            return status


@pytest.fixture
def fake() -> Iterator[FakeGateway]:
    gateway = FakeGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length))
            status = gateway.answer(self.path, self.headers.get("Authorization"), body)
            answer = json.dumps({"id": body.get("id"), "state": "Pending"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            pass

    gateway.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=gateway.server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()
    thread.join(5)


_RECEIVED: dict[str, datetime] = {}


def sms(gateway: Gateway, phone: str, text: str, message_id: str) -> Any:
    """Deliver an SMS; the same message id is the same SMS, received at the same time."""
    received = _RECEIVED.setdefault(message_id, datetime.now(UTC) - timedelta(minutes=2))
    return gateway.deliver(phone, text, message_id, received)


def sms_settings(url: str, **changes: Any) -> SmsSettings:
    values: dict[str, Any] = {"send_url": url, "send_username": USER, "send_password": PASSWORD,
                              "send_timeout_s": 5, "send_retry_s": 30, "send_attempts": 3}
    return SmsSettings(**(values | changes))


def replies(db: Database) -> list[SmsReplyRow]:
    with db.session() as session:
        rows = list(session.scalars(select(SmsReplyRow).order_by(SmsReplyRow.id)))
        session.expunge_all()
    return rows


def rows_of(db: Database, table: Any) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_a_reply_is_posted_once_in_the_gateways_format(
    registered: Database, gateway: Gateway, fake: FakeGateway
) -> None:
    """An SMS delivered three times queues one reply; the round posts it once, as the Android
    app's send API takes it (basic auth, its id, the text, the number), and never again."""
    answers = [sms(gateway, ANDI, "APEL", "m-apel").json() for _ in range(3)]
    assert [a["replayed"] for a in answers] == [False, True, True]
    settings = sms_settings(fake.url)
    assert send_once(registered, settings) == {"sent": 1, "failed": 0, "retry": 0}
    assert send_once(registered, settings) == {"sent": 0, "failed": 0, "retry": 0}
    (posted,) = fake.requests
    (reply,) = replies(registered)
    assert posted["body"] == {"id": reply.gateway_id, "textMessage": {"text": answers[0]["reply"]},
                              "phoneNumbers": [ANDI_INTL]}
    assert answers[0]["reply"].startswith("OK")
    assert (reply.state, reply.attempts, reply.last_error) == ("sent", 1, None)
    assert reply.sent_at is not None


def test_a_reply_is_retried_after_a_server_error_under_the_same_id(
    registered: Database, gateway: Gateway, fake: FakeGateway
) -> None:
    """A 500 leaves the reply pending until its retry time; then it is posted again under the
    same id and sent. A reply whose first answer was lost (the gateway took it, 409 on the
    retry) counts as sent and is not sent twice."""
    sms(gateway, ANDI, "APEL", "m-1")
    fake.scripted = [500]
    settings = sms_settings(fake.url)
    now = datetime.now(UTC)
    assert send_once(registered, settings, lambda: now) == {"sent": 0, "failed": 0, "retry": 1}
    (reply,) = replies(registered)
    assert (reply.state, reply.attempts) == ("pending", 1)
    assert reply.last_error is not None and reply.last_error.startswith("HTTP 500")
    # Not before its time: the retry waits send_retry_s.
    assert send_once(registered, settings, lambda: now + timedelta(seconds=29))["retry"] == 0
    assert len(fake.requests) == 1
    later = now + timedelta(seconds=31)
    assert send_once(registered, settings, lambda: later) == {"sent": 1, "failed": 0, "retry": 0}
    assert [r["status"] for r in fake.requests] == [500, 202]
    assert fake.requests[0]["body"] == fake.requests[1]["body"]
    assert len(fake.sent()) == 1

    # The gateway took the next reply but its answer never came back (a timeout): the retry
    # gets 409 for the id it holds, and the SMS leaves the gateway once.
    sms(gateway, ANDI, "BERANGKAT", "m-2")
    (_, second) = replies(registered)
    fake.held.add(second.gateway_id)
    assert send_once(registered, settings)["sent"] == 1
    assert [r["status"] for r in fake.requests][-1] == 409
    assert replies(registered)[1].state == "sent"


def test_a_reply_fails_after_its_attempts_and_the_command_post_sends_it_again(
    registered: Database, gateway: Gateway, fake: FakeGateway, client: TestClient,
    login: Login,
) -> None:
    """After send_attempts failures the reply is failed; the command post sees pending and
    failed replies, and queues a failed one again, which then goes out."""
    sms(gateway, ANDI, "STATUS 1 TERBANG", "m-bad")  # refused: the reason is the reply
    fake.scripted = [503, 503, 503]
    settings = sms_settings(fake.url)
    start = datetime.now(UTC)
    for hours in range(3):
        send_once(registered, settings, lambda hours=hours: start + timedelta(hours=hours))
    (reply,) = replies(registered)
    assert (reply.state, reply.attempts) == ("failed", 3)
    assert "Langkah 'TERBANG' tidak dikenal" in reply.text
    assert fake.sent() == []

    csrf = login(client, "command")
    listed = client.get("/api/v1/sms/replies").json()
    assert listed["replies"] == {"pending": 0, "sent": 0, "failed": 1}
    assert [(r["id"], r["state"], r["to"]) for r in listed["items"]] == [
        (reply.id, "failed", ANDI_INTL)]
    log = client.get("/api/v1/sms/messages").json()
    assert log["messages"][0]["reply_state"] == "failed"
    assert log["messages"][0]["reply_error"].startswith("HTTP 503")
    retried = client.post(f"/api/v1/sms/replies/{reply.id}/retry",
                          headers={"X-CSRF-Token": csrf})
    assert retried.status_code == 200, retried.text
    assert retried.json()["state"] == "pending"
    assert send_once(registered, settings)["sent"] == 1
    assert [m["textMessage"]["text"] for m in fake.sent()] == [reply.text]
    assert client.get("/api/v1/sms/replies").json()["count"] == 0
    again = client.post(f"/api/v1/sms/replies/{reply.id}/retry",
                        headers={"X-CSRF-Token": csrf})
    assert again.status_code == 404  # sent: nothing to retry


def test_an_unregistered_number_gets_no_reply(
    registered: Database, gateway: Gateway, fake: FakeGateway
) -> None:
    """The policy: a stranger's SMS is logged and audited, and nothing is sent back to him,
    whatever he wrote; a registered sender's refused SMS gets its reason."""
    for n, text in enumerate(["STATUS 1 BUKA", "INFO", "halo"]):
        assert sms(gateway, STRANGER, text, f"s{n}").json()["outcome"] == "unregistered"
    assert rows_of(registered, SmsMessageRow) == 3
    assert replies(registered) == []
    assert send_once(registered, sms_settings(fake.url))["sent"] == 0
    assert fake.requests == []
    sms(gateway, ANDI, "INFO", "a1")
    send_once(registered, sms_settings(fake.url))
    assert [m["phoneNumbers"] for m in fake.sent()] == [[ANDI_INTL]]


def test_the_reply_is_kept_in_the_transaction_of_the_write(
    registered: Database, settings: Settings, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the reply cannot be queued, the command is not applied either and the gateway gets
    an error (so it delivers the SMS again); delivered again, it is applied once, with one
    reply."""
    from pamtps.ops.sms.gateway import gateway_key

    key = gateway_key(settings.secret_key.get_secret_value().encode())
    queue = inbound.stored.queue_reply

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    script = ["APEL", "LAPOR 1 RICUH TINGGI massa", f"SEGEL 1 {SEALS}"]  # field, incident, escort
    before = counts(registered)
    with TestClient(app, raise_server_exceptions=False) as client:
        fresh = Gateway(client, key)
        received = datetime.now(UTC) - timedelta(minutes=1)
        monkeypatch.setattr(inbound.stored, "queue_reply", broken)
        for n, text in enumerate(script):
            assert fresh.deliver(ANDI, text, f"t-{n}", received).status_code == 500
        assert counts(registered) == before  # nothing applied, nothing logged
        monkeypatch.setattr(inbound.stored, "queue_reply", queue)
        for n, text in enumerate(script):
            answer = fresh.deliver(ANDI, text, f"t-{n}", received).json()
            assert (answer["outcome"], answer["replayed"]) == ("applied", False), answer
    after = counts(registered)
    assert {name: after[name] - before[name] for name in after} == {
        "movements": 1, "statuses": 0, "reports": 1, "seals": 5, "handovers": 0, "sms": 3}
    assert [r.text.startswith("OK") for r in replies(registered)] == [True, True, True]


def test_a_queued_reply_is_not_lost_over_a_restart(
    registered: Database, db_url: str, gateway: Gateway, fake: FakeGateway
) -> None:
    """The service's own round posts the replies. The gateway is down while the first
    service runs (connection refused): the reply waits. The service stops; a new one starts
    (new process state, new connections) with the gateway back, and the reply goes out once.
    A sender that died while posting (it took the reply and never settled it) leaves it to the
    next one once its hold has passed."""
    sms(gateway, ANDI, "APEL", "r-1")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/message"
    quick = {"send_interval_s": 0.05, "send_retry_s": 0.2, "send_attempts": 50}
    first = Settings(database_url=db_url, sms=sms_settings(closed, **quick))
    with TestClient(create_app(None, first)):
        wait_for(lambda: replies(registered)[0].attempts >= 2)
    (reply,) = replies(registered)
    assert reply.state == "pending" and "refused" in (reply.last_error or "").lower()

    # A sender that takes the second reply and dies before settling it.
    sms(gateway, ANDI, "BERANGKAT", "r-2")
    from pamtps.store import sms as stored

    with registered.session() as session:
        second = replies(registered)[1]
        held = stored.take_reply(session, second.id, datetime.now(UTC),
                                 datetime.now(UTC) + timedelta(seconds=1))
        assert held is not None

    again = Settings(database_url=db_url, sms=sms_settings(fake.url, **quick))
    with TestClient(create_app(None, again)):
        wait_for(lambda: [r.state for r in replies(registered)] == ["sent", "sent"])
    assert sorted(m["id"] for m in fake.sent()) == sorted(r.gateway_id for r in replies(registered))
    assert len(fake.requests) == 2


def wait_for(condition: Any, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.05)


def test_the_cli_lists_the_replies_not_sent_and_sends_a_failed_one_again(
    registered: Database, gateway: Gateway, fake: FakeGateway, cli: Any
) -> None:
    """`pamtps sms replies` shows the counts and the failed reply with its error; `--retry ID`
    queues it again; an unknown state is refused with the choices."""
    sms(gateway, ANDI, "APEL", "c-1")
    fake.scripted = [400]  # the gateway refuses the message itself: failed at once
    assert send_once(registered, sms_settings(fake.url))["failed"] == 1
    (reply,) = replies(registered)
    listed = cli("sms", "replies")
    assert listed.exit_code == 0
    assert "pending 0, sent 0, failed 1" in listed.output
    assert f"{reply.id}  failed  1x  {ANDI_INTL}" in listed.output and "HTTP 400" in listed.output
    assert cli("sms", "replies", "--retry", str(reply.id)).exit_code == 0
    assert replies(registered)[0].state == "pending"
    assert cli("sms", "replies", "--retry", str(reply.id)).exit_code == 1  # not failed now
    assert cli("sms", "replies", "--state", "lost").exit_code == 1
