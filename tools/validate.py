"""`rasa data validate` with warnings treated as failures.

Rasa's validator cannot see inside custom actions. Two kinds of warning are
therefore explained, not ignored, and everything else fails:

* "The utterance 'utter_x' is not used in any story or rule." when a custom
  action in actions/ utters ``response="utter_x"``, or ``utter_x`` is the
  retrieval action of a retrieval intent that action_kennisbank_antwoord
  renders from the kennisbank, or ``utter_x`` is ``utter_ask_<slot>`` for a
  slot in a form's ``required_slots`` (the form asks it);
* "The intent 'deel_geen_bsn' is listed in the domain file, but is not found
  in the NLU training data.": that intent is set by the NLU component
  reintegratie.nlu.bsn_guard.BSNGuard (11-proef), never by DIET, so it has no
  examples on purpose (examples would teach DIET that numbers mean a BSN);
* "duplicated intents ... across multiple domain files: faq": Rasa 3.6 adds a
  retrieval intent found in the NLU data to the domain a second time, while
  its story reader requires the intent in domain.yml.

    python tools/validate.py
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RETRIEVAL_INTENTS = {"faq"}
COMPONENT_INTENTS = {"deel_geen_bsn"}  # set by NLU components, not learned from examples
PAYLOAD_INTENTS = {"feedback"}  # sent only as a button payload by the widget (/feedback{...}), never typed
WARNING = re.compile(r"UserWarning: (.*?)(?:\x1b\[0m)?$")


def uttered_by_actions() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "actions").rglob("*.py"):
        names |= set(re.findall(r'response\s*=\s*"(utter_[a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    forms = (yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8")) or {}).get("forms") or {}
    asked = {f"utter_ask_{slot}" for form in forms.values() for slot in (form or {}).get("required_slots") or []}
    return names | asked | {f"utter_{intent}" for intent in RETRIEVAL_INTENTS}


def explained(warning: str, custom_utterances: set[str]) -> bool:
    unused = re.fullmatch(r"The utterance '(utter_[^']+)' is not used in any story or rule\.", warning)
    if unused:
        return unused.group(1) in custom_utterances
    no_examples = re.fullmatch(
        r"The intent '([^']+)' is listed in the domain file, but is not found in the NLU training data\.", warning
    )
    if no_examples:
        return no_examples.group(1) in COMPONENT_INTENTS | PAYLOAD_INTENTS
    duplicated = re.fullmatch(
        r"The following duplicated intents have been found across multiple domain files: (.+)", warning
    )
    return bool(duplicated) and set(duplicated.group(1).split(", ")) <= RETRIEVAL_INTENTS


def main() -> int:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "data", "validate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    output = result.stdout + result.stderr
    warnings = [m.group(1).strip() for line in output.splitlines() if (m := WARNING.search(line))]
    custom = uttered_by_actions()
    failures = [w for w in warnings if not explained(w, custom)]
    for warning in warnings:
        print(("FAIL  " if warning in failures else "ok    ") + warning)
    if result.returncode != 0 or failures:
        print(output[-6000:])
        print(f"rasa data validate: {len(failures)} unexplained warning(s), exit code {result.returncode}")
        return 1
    print(f"rasa data validate: passed ({len(warnings)} explained warning(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
