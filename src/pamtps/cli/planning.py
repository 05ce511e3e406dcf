"""Planning commands (filled in by the planner)."""
