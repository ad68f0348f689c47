"""Settings every test shares."""

from hypothesis import settings

# Hypothesis fails an example that runs longer than its deadline (200 ms by default): a timed
# assertion, which a shared, busy machine breaks at random. Speed is measured in
# tests/benchmarks/, never asserted in tests.
settings.register_profile("connect-risk", deadline=None)
settings.load_profile("connect-risk")
