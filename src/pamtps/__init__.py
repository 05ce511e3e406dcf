"""PamTPS: plan and run the police security of election polling stations (TPS)."""

__version__ = "0.1.0"
