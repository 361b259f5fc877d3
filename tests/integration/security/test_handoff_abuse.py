"""Review M4 and M6 (handoff queue spam) through the running stack: REST from 127.0.0.1, the action server and
the worker.

M4: ``/tell_audience{"audience":"<!channel> <https://evil.example|klik> <svg onload=alert(3)>"}`` set the
categorical ``audience`` slot to that string, and the handoff action copied it into the webhook's ``text``.
M6: three conversations from one client made three open requests; there was no limit per client.
The same attacks on the actions, the store and the worker in one process: tests/unit/actions/test_handoff_abuse.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from handoff.service import HandoffService
from tests.unit.actions.test_handoff_abuse import EVIL


def rest(stack: dict, sender: str, message: str) -> str:
    import requests

    url = f"http://127.0.0.1:{stack['urls']['rasa'].rsplit(':', 1)[1]}/webhooks/rest/webhook"
    answer = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
    answer.raise_for_status()
    return "\n".join(reply.get("text") or "" for reply in answer.json())


@pytest.fixture
def stack_store(stack: dict) -> Iterator[tuple[HandoffService, list[int]]]:
    """The stack's handoff store; requests a test lists are closed afterwards, so they hold no one's limit."""
    service = HandoffService(stack["env"]["HANDOFF_DATABASE_URL"], migrate=False)
    made: list[int] = []
    yield service, made
    for handoff_id in made:
        try:
            service.close(handoff_id, "test")
        except ValueError:
            pass
    service.dispose()


def test_the_review_s_audience_injection_through_the_stack(
    stack: dict, stack_store: tuple[HandoffService, list[int]]
) -> None:
    import time
    import uuid

    service, made = stack_store
    sender = f"m4-{uuid.uuid4().hex[:12]}"
    rest(stack, sender, f'/tell_audience{{"audience":"{EVIL}"}}')
    rest(stack, sender, "/request_human")
    reply = rest(stack, sender, "/affirm")
    record = service.active_for(sender)
    assert record is not None, reply
    made.append(record.id)
    assert record.audience is None
    deadline = time.monotonic() + 30
    while not (bodies := [r["json"] for r in stack["webhook"].received if r["json"]["id"] == record.id]):
        assert time.monotonic() < deadline, "the webhook never got the request"
        time.sleep(0.3)
    body = json.dumps(bodies[0], ensure_ascii=False)
    assert "<!channel>" not in body and "evil.example" not in body and "<svg" not in body
    assert "doelgroep onbekend" in bodies[0]["text"]


def test_one_client_cannot_fill_the_queue_through_the_stack(
    stack: dict, stack_store: tuple[HandoffService, list[int]]
) -> None:
    """The review's M6: several senders from one address. Every REST message here comes from 127.0.0.1."""
    import uuid

    from common.conversation_ids import client_id

    service, made = stack_store
    limit = int(stack["env"].get("HANDOFF_MAX_OPEN_PER_CLIENT") or 2)
    if limit == 0:
        pytest.skip("HANDOFF_MAX_OPEN_PER_CLIENT=0 in the stack: no limit to test")
    client = client_id("127.0.0.1")  # the key is CONVERSATION_ID_KEY, the same for the stack and the tests
    already = service.open_for_client(client)  # requests other tests left open
    replies = []
    for n in range(max(0, limit - already) + 1):
        sender = f"m6-{uuid.uuid4().hex[:8]}-{n}"
        offer = rest(stack, sender, "/request_human")
        replies.append(offer + "\n" + rest(stack, sender, "/affirm"))
        record = service.active_for(sender)
        if record is not None:
            made.append(record.id)
    assert len(made) == max(0, limit - already), replies
    assert service.open_for_client(client) == max(limit, already)
    assert "al vragen klaar voor een medewerker" in replies[-1]
