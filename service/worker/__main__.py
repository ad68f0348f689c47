"""`python -m service.worker [--once] [--batch N] [--poll-seconds S]`: the worker on its own."""

from service.worker.cli import main

raise SystemExit(main())
