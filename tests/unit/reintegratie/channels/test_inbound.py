"""Security review 2026-12 (../shared/reviews/security-review-2026-12.md): what reintegratie/channels/inbound.py
makes of a message before Rasa sees it, without a server.

- C1  a lone surrogate in a message could not be stored: it becomes U+FFFD;
- M4  a button payload set the categorical ``audience`` slot to markup: values the domain does not have are dropped.
"""

from __future__ import annotations

import json

from reintegratie.channels.inbound import clean_payload, readable_text


def test_payloads_cannot_set_an_audience_the_domain_does_not_have() -> None:
    attack = '/tell_audience{"audience":"<!channel> <https://evil.example|klik> <svg onload=alert(3)>"}'
    assert clean_payload(attack) == "/tell_audience"
    assert clean_payload('/tell_audience{"audience":"werkgever"}') == '/tell_audience{"audience":"werkgever"}'
    both = clean_payload('/faq{"artikel":"jobcoach_overzicht","audience":["werkgever"]}')
    assert json.loads(both[len("/faq") :]) == {"artikel": "jobcoach_overzicht"}
    assert clean_payload("hallo {niet json") == "hallo {niet json"


def test_lone_surrogates_in_text_become_replacement_characters() -> None:
    assert readable_text("x\udfffy") == "x\ufffdy"
    assert readable_text("emoji \U0001f600") == "emoji \U0001f600"
