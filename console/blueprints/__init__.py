"""The console's routes as Sanic blueprints, one per concern; ``console.app.create_app`` registers them.

    site.py      /health and /static/<name>
    auth.py      /login, /uitloggen, and the app-wide middleware: session cookie, login required, CSRF
    requests.py  the handoff requests: the queue, one request, claim, reply, close
    insights.py  /inzichten (the figures come from console/insights.py)
    shared.py    what they share: ``app.ctx`` (class Console), rendering a page, setting the session cookie

Each module has a ``blueprint()`` that makes a new Blueprint for one app, and module-level handlers that find
everything they need on ``request.app.ctx``: no state at module level, so two apps in one process share nothing.
"""
