"""Situation reports (laporan situasi): the data, its PDF and XLSX, the hourly run."""
