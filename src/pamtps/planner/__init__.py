"""The deployment planner: plan(scenario) -> Plan, its rules, validator and outputs."""
