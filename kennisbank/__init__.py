"""The kennisbank: the content (``artikelen/``, ``bronnen.yml``, ``checks.yml``) and the code that loads it
(``loader.py``) and words verdicts with it (``verdicts.py``), as the rules live beside their code in
``eligibility/``."""
