"""Dialogue evaluation: multi-turn conversations from tests/conversations/ against a running stack.

Each conversation is a list of turns; each turn is what the user types and what the assistant's reply
(all its messages, texts and button titles together) must and must not contain, as regular expressions,
and optionally the kennisbank ``article`` the answer must come from (the slot ``laatste_artikel`` after the
turn, read through Rasa's HTTP API: robust to rewording of the article).
Conversations under ``tests/conversations/blind/`` were written from the seeds alone, by an author who
did not read the kennisbank or its NLU examples: that part measures understanding, not our own wording.

    make eval                                  # starts its own stack (production model), then stops it
    python tools/eval_conversations.py --url http://localhost:5005 --token "$RASA_API_TOKEN"   # a running stack

It prints the pass rate per audience, per kind and per author, lists every failed turn with the reply,
writes results/eval.json (the rates, and every turn of each failed conversation), and exits 1 below ``--min`` (all)
or ``--min-blind`` (the blind part).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eligibility.vocabulary import Audience  # noqa: E402
from tools.processes import (  # noqa: E402  (run as a script)
    ACTION_PORT,
    free_port,
    our_model,
    port_open,
    process,
    stack_env,
    stack_lock,
    wait_until_ready,
)

CONVERSATIONS = ROOT / "tests" / "conversations"
AUDIENCES = tuple(audience.value for audience in Audience)
KINDS = ("single", "follow_up", "context", "local", "correction", "topic_switch", "emotion", "check")
BLIND = "blind"  # the folder of the conversations written without reading the kennisbank


@dataclass(frozen=True)
class Turn:
    user: str
    must: tuple[re.Pattern[str], ...]
    must_not: tuple[re.Pattern[str], ...]
    article: str | None = None  # the kennisbank article the answer comes from (slot laatste_artikel)


@dataclass(frozen=True)
class Conversation:
    id: str
    audience: str
    kinds: tuple[str, ...]
    author: str  # "blind" or "eigen"
    file: str
    turns: tuple[Turn, ...]


@dataclass
class TurnResult:
    user: str
    reply: str
    missing: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    wrong_article: str | None = None  # "expected X, got Y" when the turn names an article
    topic: str | None = None  # the slot laatste_artikel after the turn: which article answered (for the report)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.forbidden and self.wrong_article is None


@dataclass
class ConversationResult:
    conversation: Conversation
    turns: list[TurnResult]

    @property
    def ok(self) -> bool:
        return all(turn.ok for turn in self.turns)


class ConversationFileError(ValueError):
    """A conversation file that does not follow the format (the message names the file and the id)."""


def _patterns(raw: Any, where: str) -> tuple[re.Pattern[str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConversationFileError(f"{where}: expected a list of regular expressions")
    try:
        return tuple(re.compile(item, re.IGNORECASE) for item in raw)
    except re.error as error:
        raise ConversationFileError(f"{where}: {error}") from error


def _article(raw: Any, where: str) -> str | None:
    if raw is not None and (not isinstance(raw, str) or not raw):
        raise ConversationFileError(f"{where}: article must be an article id")
    return raw


def load(root: Path = CONVERSATIONS) -> list[Conversation]:
    """Every conversation under ``root``, checked: known audience and kinds, unique ids, valid regexes."""
    conversations: list[Conversation] = []
    seen: dict[str, str] = {}
    for path in sorted(root.rglob("*.yml")):
        relative = path.relative_to(root).as_posix()
        author = BLIND if path.relative_to(root).parts[0] == BLIND else "eigen"
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for raw in document.get("conversations") or []:
            where = f"{relative}: {raw.get('id', '?')}"
            ident = raw.get("id")
            if not isinstance(ident, str) or not ident:
                raise ConversationFileError(f"{where}: every conversation needs an id")
            if ident in seen:
                raise ConversationFileError(f"{where}: id also used in {seen[ident]}")
            seen[ident] = relative
            if raw.get("audience") not in AUDIENCES:
                raise ConversationFileError(f"{where}: audience must be one of {', '.join(AUDIENCES)}")
            kinds = tuple(raw.get("kinds") or ())
            unknown = [kind for kind in kinds if kind not in KINDS]
            if not kinds or unknown:
                raise ConversationFileError(f"{where}: kinds must be a non-empty list of {', '.join(KINDS)}")
            turns = []
            for number, turn in enumerate(raw.get("turns") or [], start=1):
                if not isinstance(turn, dict) or not isinstance(turn.get("user"), str) or not turn["user"].strip():
                    raise ConversationFileError(f"{where}, turn {number}: needs a non-empty `user` text")
                turns.append(
                    Turn(
                        user=turn["user"],
                        must=_patterns(turn.get("must"), f"{where}, turn {number}, must"),
                        must_not=_patterns(turn.get("must_not"), f"{where}, turn {number}, must_not"),
                        article=_article(turn.get("article"), f"{where}, turn {number}"),
                    )
                )
            if not turns:
                raise ConversationFileError(f"{where}: no turns")
            conversations.append(Conversation(ident, raw["audience"], kinds, author, relative, tuple(turns)))
    return conversations


def reply_text(messages: list[dict[str, Any]]) -> str:
    """What the user sees of one reply: every message's text and button titles, one per line."""
    lines: list[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(str(message["text"]))
        lines.extend(str(button.get("title", "")) for button in message.get("buttons") or [])
    return "\n".join(lines)


def judge(turn: Turn, reply: str, article: str | None = None) -> TurnResult:
    """``article``: the slot laatste_artikel after the turn (checked only when the turn names one)."""
    return TurnResult(
        user=turn.user,
        reply=reply,
        missing=[pattern.pattern for pattern in turn.must if not pattern.search(reply)],
        forbidden=[pattern.pattern for pattern in turn.must_not if pattern.search(reply)],
        wrong_article=None if turn.article in (None, article) else f"expected {turn.article}, got {article}",
        topic=article,
    )


async def last_article(session: aiohttp.ClientSession, url: str, token: str | None, sender: str) -> str | None:
    """The slot laatste_artikel of a conversation, through Rasa's HTTP API (needs the API token)."""
    if not token:
        return None
    async with session.get(f"{url}/conversations/{sender}/tracker", params={"token": token}) as response:
        if response.status != 200:
            return None
        tracker = await response.json(content_type=None)
    value = ((tracker or {}).get("slots") or {}).get("laatste_artikel")
    return value if isinstance(value, str) else None


async def talk(
    session: aiohttp.ClientSession, url: str, token: str | None, conversation: Conversation, run_id: str
) -> ConversationResult:
    sender = f"eval-{run_id}-{conversation.id}"
    results = []
    for turn in conversation.turns:
        try:
            async with session.post(
                f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": turn.user}
            ) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
                reply = reply_text(body) if isinstance(body, list) else f"<HTTP {response.status}>"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            reply = f"<{type(error).__name__}>"
        article = await last_article(session, url, token, sender)
        results.append(judge(turn, reply, article))
    return ConversationResult(conversation, results)


async def run_all(
    url: str, token: str | None, conversations: list[Conversation], parallel: int
) -> list[ConversationResult]:
    run_id = secrets.token_hex(3)
    gate = asyncio.Semaphore(parallel)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(timeout=timeout) as session:

        async def one(conversation: Conversation) -> ConversationResult:
            async with gate:
                return await talk(session, url, token, conversation, run_id)

        return list(await asyncio.gather(*(one(conversation) for conversation in conversations)))


def blind_round(conversation: Conversation) -> str | None:
    """The round a blind conversation was written in, from its id ("blind3-ouder-01": blind3; "blind-ouder-01": blind1);
    None for our own. tests/conversations/README.md says which rounds were used in development."""
    if conversation.author != BLIND:
        return None
    prefix = conversation.id.split("-", 1)[0]
    return prefix if prefix[-1].isdigit() else f"{prefix}1"


def rates(results: list[ConversationResult]) -> dict[str, dict[str, tuple[int, int]]]:
    """passed/total per audience, per kind, per author and per round of the blind part."""
    table: dict[str, dict[str, list[int]]] = {"audience": {}, "kind": {}, "author": {}, "blind round": {}}

    def count(group: str, key: str, ok: bool) -> None:
        cell = table[group].setdefault(key, [0, 0])
        cell[0] += ok
        cell[1] += 1

    for result in results:
        count("audience", result.conversation.audience, result.ok)
        count("author", result.conversation.author, result.ok)
        round_ = blind_round(result.conversation)
        if round_:
            count("blind round", round_, result.ok)
        for kind in result.conversation.kinds:
            count("kind", kind, result.ok)
    return {group: {key: (cell[0], cell[1]) for key, cell in sorted(cells.items())} for group, cells in table.items()}


def share(passed: int, total: int) -> float:
    return passed / total if total else 0.0


def report(results: list[ConversationResult], show_failures: bool) -> str:
    lines = []
    if show_failures:
        for result in results:
            if result.ok:
                continue
            conversation = result.conversation
            lines.append(f"FAIL {conversation.id} ({conversation.file})")
            for number, turn in enumerate(result.turns, start=1):
                mark = "  ok" if turn.ok else "  XX"
                lines.append(f"{mark} {number}. {turn.user}" + (f"  [{turn.topic}]" if turn.ok and turn.topic else ""))
                if not turn.ok:
                    excerpt = turn.reply.replace("\n", " | ")[:300]
                    lines.append(f"       reply: {excerpt}")
                    lines.extend(f"       missing: {pattern}" for pattern in turn.missing)
                    lines.extend(f"       forbidden: {pattern}" for pattern in turn.forbidden)
                    if turn.wrong_article:
                        lines.append(f"       article: {turn.wrong_article}")
                    lines.append(f"       topic after the turn: {turn.topic or '-'}")
        lines.append("")
    passed = sum(result.ok for result in results)
    lines.append(f"Conversations passed: {passed}/{len(results)} ({share(passed, len(results)):.1%})")
    for group, cells in rates(results).items():
        lines.append(f"  per {group}:")
        lines.extend(f"    {key:<14} {ok:>4}/{total:<4} {share(ok, total):6.1%}" for key, (ok, total) in cells.items())
    return "\n".join(lines)


def start_stack(stack: ExitStack, model: str | None, work: Path) -> tuple[str, str]:
    """Our stack as `make run` starts it, on free ports, with its own databases and the rate limits off."""
    port = free_port()
    env = stack_env(our_model(model), port, secrets.token_urlsafe(16), work)
    stack.enter_context(stack_lock())
    if port_open(ACTION_PORT):
        raise SystemExit(f"port {ACTION_PORT} is in use: stop the running assistant first, or pass --url")
    log = work / "stack.log"
    proc = stack.enter_context(process("run.sh", ["bash", "scripts/run.sh"], log, env=env))
    url = f"http://localhost:{port}"
    asyncio.run(
        wait_until_ready(
            [f"{url}/status?token={env['RASA_API_TOKEN']}", f"http://localhost:{ACTION_PORT}/health"], proc, log
        )
    )
    return url, env["RASA_API_TOKEN"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running stack (default: start one with the production model)")
    parser.add_argument(
        "--token", default=os.environ.get("RASA_API_TOKEN"), help="with --url: the HTTP API token (for `article`)"
    )
    parser.add_argument("--model", help="the model to start (default: train or reuse config.yml's)")
    parser.add_argument("--dir", type=Path, default=CONVERSATIONS, help="where the conversations are")
    parser.add_argument("--only", help="run only conversations whose id contains this text")
    parser.add_argument("--parallel", type=int, default=4, help="conversations at the same time")
    parser.add_argument("--min", type=float, default=0.95, help="minimum pass rate of all conversations")
    parser.add_argument("--min-blind", type=float, default=0.90, help="minimum pass rate of the blind part")
    parser.add_argument("--quiet", action="store_true", help="no list of failures")
    parser.add_argument(
        "--all-turns", action="store_true", help="write every conversation's turns to --out, not only the failed ones"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "eval.json")
    parser.add_argument(
        "--stack-log", type=Path, help="keep the started stack's log here (why each article was chosen)"
    )
    args = parser.parse_args()

    try:
        conversations = load(args.dir)
    except ConversationFileError as error:
        print(f"Fout in de gesprekken: {error}", file=sys.stderr)
        return 2
    if args.only:
        conversations = [conversation for conversation in conversations if args.only in conversation.id]
    if not conversations:
        print(f"Geen gesprekken gevonden in {args.dir}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="eval-") as tmp, ExitStack() as stack:
        url, token = (args.url.rstrip("/"), args.token) if args.url else start_stack(stack, args.model, Path(tmp))
        results = asyncio.run(run_all(url, token, conversations, args.parallel))
        if args.stack_log and not args.url:
            shutil.copyfile(Path(tmp) / "stack.log", args.stack_log)

    print(report(results, show_failures=not args.quiet))
    table = rates(results)
    overall = share(sum(result.ok for result in results), len(results))
    blind = share(*table["author"].get(BLIND, (0, 0)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "passed": overall,
                "blind": blind if BLIND in table["author"] else None,
                "rates": {group: {key: list(cell) for key, cell in cells.items()} for group, cells in table.items()},
                "failures": [
                    {
                        "id": result.conversation.id,
                        "turns": [
                            {
                                "user": t.user,
                                "reply": t.reply,
                                "missing": t.missing,
                                "forbidden": t.forbidden,
                                "article": t.wrong_article,
                                "topic": t.topic,
                                "ok": t.ok,
                            }
                            for t in result.turns
                        ],
                    }
                    for result in results
                    if args.all_turns or not result.ok
                ],
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    failed = overall < args.min or (BLIND in table["author"] and blind < args.min_blind)
    if failed:
        print(
            f"Onder de drempel: alles {overall:.1%} (min {args.min:.0%}), blind {blind:.1%} (min {args.min_blind:.0%})"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
