"""Election day, without any web framework: the logic the command service runs.

``field`` (orders, check-in, TPS steps, the unguarded-TPS watch), ``incidents`` and ``liaison``
(KPPS and Pengawas TPS reports), ``dispatch`` (reserve units), ``escort`` (the sealed ballot
boxes' chain) and ``sitrep`` (situation reports); security in ``users`` (roles, passwords),
``sessions`` (logins, device tokens), ``scope`` (what a user may see) and ``audit`` (the
hash-chained log); ``rounds`` names the background rounds that ``pamtps worker`` and
``pamtps serve`` run. Queries live in ``pamtps.store``; routes and pages in ``pamtps.web``.
"""

# Loaded with any part of ops: from then on every write to an audited table is recorded in the
# audit chain at its commit (``pamtps.ops.audit``).
from pamtps.ops import audit as _audit  # noqa: F401
