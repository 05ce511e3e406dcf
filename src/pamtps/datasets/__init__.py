"""The real public data bundled with PamTPS, its loaders and the synthetic roster generator."""

from pamtps.datasets.registry import DATASETS, DatasetInfo, load_dataset

__all__ = ["DATASETS", "DatasetInfo", "load_dataset"]
