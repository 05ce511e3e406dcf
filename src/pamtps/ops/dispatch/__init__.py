"""Dispatch of reserve units to incidents: units from the plan, recommendation, the floor."""
