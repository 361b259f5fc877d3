"""Custom actions for the rasa_sdk action server (``python -m reintegratie.action_server``, which serves this
package with a shared token; see actions/README.md)."""
