"""Training as small pure steps: snapshots, split, train, calibrate, evaluate, promote.

Each step takes plain data and returns typed records or new frames; MLflow stays out of them
(see training/pipeline.py and training/tracking.py).
"""
