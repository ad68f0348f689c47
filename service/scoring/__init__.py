"""The served champion model: resolved from the MLflow registry, loaded once, swapped live."""
