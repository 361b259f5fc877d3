"""The kennisbank: the content (``artikelen/``, ``bronnen.yml``, ``checks.yml``) and the code beside it, as the
rules live beside their code in ``eligibility/``: ``loader.py`` loads and validates the content,
``render.py`` words an article as a message, and ``verdicts.py`` words eligibility verdicts."""
