"""Runtime glue for the Rasa assistant: Dutch spaCy loading and store configuration.

Nothing here holds content (that is ``kennisbank/``) or eligibility rules
(that is ``eligibility/``).
"""
