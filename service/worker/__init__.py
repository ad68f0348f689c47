"""The webhook worker: claims inbox events, applies their effects once, retries, dead-letters."""

# Idle polls are one indexed query each: cheap enough to keep rescoring well under a second.
DEFAULT_POLL_SECONDS = 0.25
# Events (and actions) per claim: one claim, one supersession check and one commit serve a batch.
DEFAULT_BATCH = 20
