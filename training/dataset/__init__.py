"""Dataset directories (DESIGN.md section 3): load, validate, choose snapshots."""

from training.dataset.errors import DatasetError
from training.dataset.loader import Dataset, load_dataset
from training.dataset.transactions import COLUMNS as TRANSACTION_COLUMNS

__all__ = ["TRANSACTION_COLUMNS", "Dataset", "DatasetError", "load_dataset"]
