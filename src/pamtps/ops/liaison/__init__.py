"""Liaison access for a TPS's election officials (the KPPS chair and the Pengawas TPS): invite
codes with QR sheets, redeemed once for an account limited to that TPS."""
