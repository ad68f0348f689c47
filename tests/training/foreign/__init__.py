"""An independent maker of contract-following datasets, for testing that a model trained on the
synthetic marketplace generalises to data it was not made from.

It shares no code with `training.synth` and deliberately differs from it: another country and
MCC mix (many countries the generator never uses), a marketplace-wide customer pool, no
snapshots.csv (training falls back to the default snapshots), its own document wordings and
PDF tooling, and its own risk mechanisms: bust-out bursts, refund and dispute spikes, rings
sharing a bank account, forged or missing paperwork and stolen-card cash-outs, next to honest
providers that trip the usual red flags (foreign payout banks, returns-heavy trades, seasonal
spikes, overdue requirements).
"""

from foreign.writer import ForeignConfig, make_dataset

__all__ = ["ForeignConfig", "make_dataset"]
