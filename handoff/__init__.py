"""Human handoff: requests for a consultant, their store and the outbox that notifies a team chat or helpdesk.

Pure Python (SQLAlchemy, Alembic, requests), no Rasa imports. See handoff/README.md.
"""
