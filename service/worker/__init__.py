"""The webhook worker: claims inbox events, applies their effects once, retries, dead-letters."""

# Idle polls are one indexed query each: cheap enough to keep rescoring well under a second.
DEFAULT_POLL_SECONDS = 0.25
