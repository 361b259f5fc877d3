"""Runtime glue for the Rasa assistant: Dutch spaCy loading and store configuration.

Nothing here holds content (that is ``kennisbank/``) or eligibility rules
(that is ``eligibility/``).

Every process that loads this package (the Rasa server through its components, channels and stores; the
action server; the handoff worker; the console) scrubs personal data from its log lines
(``reintegratie.log_privacy``).
"""
from reintegratie import log_privacy

log_privacy.install()

