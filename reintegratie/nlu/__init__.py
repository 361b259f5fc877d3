"""The NLU components ``config.yml`` names (Rasa graph components).

``SpacyNLP`` keeps Rasa's class name: Rasa's featurizers look for it by name.
"""
