"""What the store raises instead of a database driver's exception, so callers need no SQL types."""


class StoreError(Exception):
    """A database operation that did not succeed."""


class Raced(StoreError):
    """A transaction lost a race with another one (a unique key it took, or a deadlock): applied
    again, it is decided against the new state."""


class DuplicateRecord(StoreError):
    """A write refused by a unique constraint: a twin of it was committed first."""
