"""Run the named pure custom actions inside the Rasa server, without the HTTP round trip to the action server.

A kennisbank answer (``action_kennisbank_antwoord``) is most of what users ask. It reads no database and calls no
service: it reads the message, two slots and the kennisbank. Through the action server it cost a new aiohttp session
and connection, the tracker written as JSON, read by Sanic and parsed again, and the reply the same way back:
3.4 ms of the 11 ms a kennisbank answer took in one process (tools/profile_reply.py, docs/benchmarks.md).

``action_endpoint`` in endpoints.yml names them::

    action_endpoint:
      url: "http://127.0.0.1:5055/webhook"
      in_process:
        package: actions.kennisbank
        actions: [action_kennisbank_antwoord]

``install()`` (called by ``reintegratie.launch`` before Rasa reads its endpoints) makes Rasa's
``EndpointConfig.from_dict`` return an ``InProcessActionEndpoint`` for such an entry. Rasa's ``RemoteAction`` still
builds the same request body and reads the reply as before; only ``request()`` differs: for a named action it hands
the body to rasa_sdk's own ``ActionExecutor`` in this process. Every other action, and every other use of the
endpoint, goes over HTTP as before. So the answer, its events and its errors are the same either way:

- an action that rejects itself raises the ``ClientResponseError(400)`` the action server's reply raised, with the
  same body, and Rasa turns it into its ``ActionExecutionRejection``;
- an action that fails raises ``ClientResponseError(500)``, as the action server's 500 did, and Rasa turns it into
  the same ``RasaException`` (the channels then send their polite Dutch message, reintegratie/channels/action_fallback).

Only actions without blocking I/O belong here: they run on the Rasa server's event loop. Without ``install()``
(``rasa`` run directly) the ``in_process`` key is ignored and every action goes to the action server.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection

logger = logging.getLogger(__name__)

KEY = "in_process"

#: Rasa's own factory (the classmethod itself), kept for ``uninstall()`` and for entries without ``in_process``.
RASA_FROM_DICT = EndpointConfig.__dict__["from_dict"]


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint that runs ``actions`` of ``package`` in this process and sends the rest over HTTP."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        config = kwargs.pop(KEY)
        super().__init__(*args, **kwargs)
        self.package = str(config["package"])
        self.actions = frozenset(str(name) for name in config["actions"])
        self.executor = ActionExecutor()
        self.executor.register_package(self.package)
        missing = sorted(self.actions - set(self.executor.actions))
        if missing:
            raise ValueError(f"endpoints.yml action_endpoint.{KEY}: {self.package} has no action {', '.join(missing)}")

    def runs_here(self, body: Any) -> bool:
        return isinstance(body, dict) and body.get("next_action") in self.actions

    async def request(
        self,
        method: str = "post",
        subpath: str | None = None,
        content_type: str | None = "application/json",
        compress: bool = False,
        **kwargs: Any,
    ) -> Any:
        body = kwargs.get("json")
        if method.lower() != "post" or subpath is not None or not self.runs_here(body):
            return await super().request(method, subpath, content_type, compress, **kwargs)
        assert isinstance(body, dict)
        try:
            return await self.executor.run(body)
        except ActionExecutionRejection as rejection:  # the SDK's webhook: 400 with this body
            reply = json.dumps({"error": rejection.message, "action_name": rejection.action_name})
            raise ClientResponseError(400, "Bad Request", reply) from rejection
        except Exception as error:  # the action server answers 500 to any other error of an action
            logger.exception("Action %s failed in process", body.get("next_action"))
            raise ClientResponseError(500, "Internal Server Error", "") from error


def from_dict(data: dict[str, Any]) -> EndpointConfig:
    """Rasa's ``EndpointConfig.from_dict``, with an ``InProcessActionEndpoint`` for an entry with ``in_process``."""
    if isinstance(data, dict) and data.get(KEY):
        return InProcessActionEndpoint(**data)
    return RASA_FROM_DICT.__func__(EndpointConfig, data)


#: The package of the actions: they log why they chose an article at INFO (issue 19 §1), as in the action server;
#: the Rasa server's own loggers stay at its log level.
ACTIONS_LOGGER = "actions"


def install() -> None:
    EndpointConfig.from_dict = staticmethod(from_dict)
    logging.getLogger(ACTIONS_LOGGER).setLevel(logging.INFO)


def uninstall() -> None:
    EndpointConfig.from_dict = RASA_FROM_DICT
