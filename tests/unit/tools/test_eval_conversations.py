"""The dialogue evaluation's own logic: the file format is checked, and a reply is judged as the user sees it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tools.eval_conversations import (
    ConversationFileError,
    ConversationResult,
    judge,
    load,
    rates,
    reply_text,
)

GOOD = """
conversations:
  - id: c1
    audience: werkgever
    kinds: [follow_up]
    turns:
      - user: "wij hebben een bakkerij"
      - user: "welke subsidies zijn er?"
        must: ["loonkostensubsidie", "no-?risk"]
        must_not: ["je werkgever"]
"""


def write(tmp_path: Path, text: str, folder: str = "eigen") -> Path:
    (tmp_path / folder).mkdir(exist_ok=True)
    (tmp_path / folder / "a.yml").write_text(text, encoding="utf-8")
    return tmp_path


def test_load_reads_turns_and_the_author_from_the_folder(tmp_path: Path) -> None:
    [conversation] = load(write(tmp_path, GOOD, folder="blind"))
    assert conversation.author == "blind"
    assert [turn.user for turn in conversation.turns] == ["wij hebben een bakkerij", "welke subsidies zijn er?"]
    assert conversation.turns[0].must == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("werkgever", "baas"), "audience"),
        (("[follow_up]", "[vervolg]"), "kinds"),
        (('"no-?risk"', '"no-(risk"'), "must"),
        (('user: "wij hebben een bakkerij"', 'user: ""'), "user"),
    ],
)
def test_load_refuses_a_bad_file_and_names_the_place(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConversationFileError, match=message):
        load(write(tmp_path, GOOD.replace(*change)))


def test_load_refuses_an_id_used_twice(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    write(tmp_path, GOOD, folder="blind")
    with pytest.raises(ConversationFileError, match="also used"):
        load(tmp_path)


def test_the_committed_conversations_load() -> None:
    load()


def test_a_reply_is_its_texts_and_button_titles() -> None:
    messages = [
        {"text": "Loonkostensubsidie is …"},
        {"text": "Meer?", "buttons": [{"title": "No-riskpolis", "payload": "/x"}]},
    ]
    assert reply_text(messages) == "Loonkostensubsidie is …\nMeer?\nNo-riskpolis"


def test_judge_names_what_is_missing_and_what_is_forbidden(tmp_path: Path) -> None:
    [conversation] = load(write(tmp_path, GOOD))
    turn = conversation.turns[1]
    assert judge(turn, "Loonkostensubsidie en de no-riskpolis").ok
    result = judge(turn, "Je werkgever vraagt loonkostensubsidie aan")
    assert result.missing == ["no-?risk"]
    assert result.forbidden == ["je werkgever"]


def test_rates_count_a_conversation_once_per_group(tmp_path: Path) -> None:
    [conversation] = load(write(tmp_path, GOOD))
    failed = ConversationResult(conversation, [judge(conversation.turns[1], "nee")])
    passed = ConversationResult(conversation, [judge(conversation.turns[1], "loonkostensubsidie, no-riskpolis")])
    table = rates([failed, passed])
    assert table["audience"] == {"werkgever": (1, 2)}
    assert table["kind"] == {"follow_up": (1, 2)}
    assert table["author"] == {"eigen": (1, 2)}


def test_a_turn_can_name_the_article_the_answer_comes_from(tmp_path: Path) -> None:
    text = GOOD.replace(
        '      - user: "wij hebben een bakkerij"\n',
        '      - user: "wij hebben een bakkerij"\n        article: no_riskpolis\n',
    )
    [conversation] = load(write(tmp_path, text))
    turn = conversation.turns[0]
    assert turn.article == "no_riskpolis"
    assert judge(turn, "", "no_riskpolis").ok
    assert judge(turn, "", "jobcoach_gemeente").wrong_article == "expected no_riskpolis, got jobcoach_gemeente"
    assert not judge(turn, "", None).ok  # no article recorded is not a pass


def test_rates_show_each_round_of_the_blind_part(tmp_path: Path) -> None:
    blind = load(write(tmp_path, GOOD, folder="blind"))[0]
    first = ConversationResult(replace(blind, id="blind-werkgever-01"), [])
    third = ConversationResult(replace(blind, id="blind3-werkgever-01"), [])
    own = ConversationResult(replace(blind, author="eigen", id="eigen-werkgever-01"), [])
    assert rates([first, third, own])["blind round"] == {"blind1": (1, 1), "blind3": (1, 1)}
