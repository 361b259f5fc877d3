"""The Rasa side of the assistant: what Rasa's configuration files name, and the two server entry points.

- ``reintegratie/nlu/``: the NLU components ``config.yml`` names.
- ``reintegratie/channels/``: the input channels ``credentials.yml`` names.
- ``reintegratie/stores/``: the tracker and lock stores ``endpoints.yml`` names.
- ``launch.py``: starts Rasa (``python -m reintegratie.launch``) without the API token in the command line.
- ``action_server.py``: the action server (``python -m reintegratie.action_server``), token-protected.

Content is in ``kennisbank/``, rules in ``eligibility/``, the actions in ``actions/``, pure helpers in
``common/``. Importing this package has no side effects: each entry point calls ``common.log_privacy.install()``.
"""
