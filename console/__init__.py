"""The consultant console: a small Sanic web app for human handoff requests (see README)."""
