"""Model review and data exploration helpers behind notebooks/: run loading, reason-code
frequencies, per-segment tables, population stability (drift) and dataset summaries.

The notebooks stay thin (parameters, calls, display); the logic lives here, typed and tested.
"""
