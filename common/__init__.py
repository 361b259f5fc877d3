"""Pure helpers every other package may use: settings, privacy, log privacy, database text guards,
conversation ids and the HTTP head guard.

This package imports nothing from the project (tests/unit/project/test_architecture.py checks it), so anything may
import it without a cycle.
"""
