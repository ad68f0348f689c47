"""The webhook worker: claims inbox events, applies their effects once, retries, dead-letters."""
