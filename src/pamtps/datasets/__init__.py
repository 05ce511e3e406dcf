"""The real public data bundled with PamTPS, its loaders and the synthetic roster generator."""

from pamtps.datasets.registry import DATASETS, DatasetInfo, dataset_for, load_dataset

__all__ = ["DATASETS", "DatasetInfo", "dataset_for", "load_dataset"]
