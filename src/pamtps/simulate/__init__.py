"""``pamtps simulate``: a voting day played fast against a running command service.

``day.plan_day`` turns the orders in force into a timeline of what the officers and the command
do (pure, seeded); ``runner.simulate`` logs in, gives each post's leader a device token, and plays
the timeline against the service over loopback HTTP, fast-forwarded, counting every answer.
"""

from pamtps.simulate.runner import Outcome, simulate

__all__ = ["Outcome", "simulate"]
