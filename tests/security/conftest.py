"""The security corpus runs on the service's own fixtures: the app on the test database, the
personas, the toy plan published (``tests/service/conftest.py``, ``tests/service/field/``)."""

from __future__ import annotations

from tests.service.conftest import (  # noqa: F401  (fixtures, by name)
    _cheap_passwords,
    _no_background_loops,
    app,
    client,
    login,
    people,
    settings,
)
from tests.service.field.conftest import _no_watch_loop, heads, in_force  # noqa: F401
