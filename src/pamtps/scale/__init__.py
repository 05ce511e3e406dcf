"""Planning beyond one Polres: a Polda's pool across its Polres, and the nation."""
