"""The website chat widget (web/) in a real Chromium, against the whole stack that `make run` starts.

The ``stack`` fixture (tests/conftest.py) runs scripts/run.sh: the demo website on WEB_PORT, whose page embeds
the widget with ``data-server`` pointing at the Rasa server. Playwright drives the system Chromium
(/usr/bin/chromium); without it these tests are skipped, except in CI, where they fail.
Messages the test model cannot produce (HTML from the bot, a consultant's handoff, a dropped connection)
are injected into the real WebSocket with ``page.route_web_socket``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from common.conversation_ids import socket_conversation_id
from console.rasa_api import claim_events, close_events, reply_events
from tests.conftest import IN_CI, ROOT, TOKEN

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
SESSION_KEY = "reintegratie-widget:session_id"
ANSWER_TIMEOUT = 30_000  # ms; the first answers of a fresh Rasa server can be slow in CI


BROWSER_MARKS = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not IN_CI,
        reason="no /usr/bin/chromium: install it with 'sudo apt-get install chromium' (in CI make install does)",
    ),
]


def in_browser(test):
    """The whole stack and Chromium; skipped without them (except in CI)."""
    for mark in reversed(BROWSER_MARKS):
        test = mark(test)
    return test


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing in CI: scripts/install.sh should have installed it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, stack: dict):
    """A factory: a fresh browser context (so a fresh sessionStorage) per call."""
    contexts = []

    def make(**options):
        context = browser.new_context(locale="nl-NL", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(ANSWER_TIMEOUT)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    errors: list[str] = []
    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def web(stack: dict) -> str:
    return stack["urls"]["web"] + "/"


def open_widget(page, stack: dict):
    """Load the demo page, open the widget with the mouse and wait for the greeting's topic buttons."""
    page.goto(web(stack))
    page.locator("#rw-launcher").click()
    page.locator(".rw-quick .rw-choice").first.wait_for()
    return page


def ask(page, text: str) -> None:
    page.locator("#rw-input").fill(text)
    page.locator("#rw-input").press("Enter")


def wait_for_more(locator, before: int, timeout: float = ANSWER_TIMEOUT / 1000) -> int:
    deadline = time.monotonic() + timeout
    while (count := locator.count()) <= before:
        assert time.monotonic() < deadline, f"no new {locator} after {timeout} s"
        time.sleep(0.1)
    return count


def user_texts(page) -> list[str]:
    """What the user bubbles show (without the hidden "Jij:" for screen readers)."""
    return page.locator(".rw-user p").all_inner_texts()


def sourced_answers(page):
    return page.locator(".rw-item-bot .rw-meta", has_text="Bron:")


def focused(page) -> str:
    """id (or class) of the focused element, looking inside the widget's shadow root."""
    return page.evaluate(
        """() => {
          let el = document.activeElement;
          while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
          return el ? (el.id || el.className || el.tagName) : "";
        }"""
    )


def save_screenshot(page, name: str) -> None:
    (ROOT / "results").mkdir(exist_ok=True)
    page.screenshot(path=str(ROOT / "results" / name))


# ---------------------------------------------------------------------------------------------------------------------


@in_browser
def test_typed_question_gets_a_sourced_answer_and_feedback(new_page, stack: dict) -> None:
    page = open_widget(new_page(viewport={"width": 1280, "height": 800}), stack)
    # the disclosure and the privacy sentence, before anything else
    assert "Ik ben de digitale assistent, geen mens." in page.locator(".rw-intro").inner_text()
    privacy = page.locator(".rw-intro a")
    assert privacy.get_attribute("href").endswith("/privacy.html")
    assert "zonder BSN" in page.locator(".rw-intro").inner_text()
    # /greet was sent silently: the bot's greeting is there, no user bubble
    assert page.locator(".rw-user").count() == 0
    assert "geen mens" in page.locator(".rw-item-bot").first.inner_text()

    ask(page, "wat is een jobcoach")
    wait_for_more(sourced_answers(page), 0)
    assert user_texts(page) == ["wat is een jobcoach"]
    answer = page.locator(".rw-item-bot", has=page.locator(".rw-meta", has_text="Bron:")).last
    assert "jobcoach" in " ".join(page.locator(".rw-item-bot").all_inner_texts()[1:]).lower()
    assert page.locator(".rw-typing").is_hidden()

    save_screenshot(page, "widget.png")
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.screenshot(path=str(ROOT / "web" / "screenshot-widget.png"))

    # thumbs up: sent silently, thanked, no bubble
    answer.get_by_role("button", name="Ja, dit hielp").click()
    assert answer.locator(".rw-thanks").inner_text() == "Bedankt voor je reactie."
    page.wait_for_timeout(500)
    assert page.locator(".rw-user").count() == 1


@in_browser
def test_quick_reply_shows_its_title_and_gets_an_answer(new_page, stack: dict) -> None:
    page = open_widget(new_page(), stack)
    page.locator(".rw-quick").get_by_role("button", name="Jobcoach", exact=True).click()
    wait_for_more(sourced_answers(page), 0)
    assert user_texts(page) == ["Jobcoach"]  # the title, not the /faq payload
    assert "/faq" not in page.locator("#rw-log").inner_text()
    # the used buttons are gone; the answer's own follow-up buttons (if any) are the only ones left
    assert page.locator(".rw-quick", has_text="Doelgroepregister").count() <= 1


@in_browser
def test_keyboard_only_round_trip(new_page, stack: dict) -> None:
    page = new_page()
    page.goto(web(stack))
    page.locator("#rw-launcher").wait_for()
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page) == "rw-launcher":
            break
    assert focused(page) == "rw-launcher", "Tab never reached the launcher"
    launcher = page.locator("#rw-launcher")
    assert launcher.get_attribute("aria-expanded") == "false"
    assert launcher.get_attribute("aria-controls") == "rw-panel"

    page.keyboard.press("Enter")
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.locator("#rw-panel").is_visible()
    assert focused(page) == "rw-input"

    page.locator(".rw-quick .rw-choice").first.wait_for()
    page.keyboard.type("wat is een jobcoach")
    page.keyboard.press("Enter")
    wait_for_more(sourced_answers(page), 0)
    assert focused(page) == "rw-input"

    # the feedback buttons are reachable with Shift+Tab and work with Enter
    for _ in range(25):
        page.keyboard.press("Shift+Tab")
        if focused(page) == "rw-thumb":
            break
    assert focused(page) == "rw-thumb", "Shift+Tab never reached the feedback buttons"
    page.keyboard.press("Enter")
    page.locator(".rw-thanks").wait_for()

    page.keyboard.press("Escape")
    assert page.locator("#rw-panel").is_hidden()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert focused(page) == "rw-launcher"


@in_browser
def test_html_is_shown_as_text_never_run(new_page, stack: dict) -> None:
    page = new_page()
    sockets = []

    def route(ws) -> None:
        ws.connect_to_server()  # forwards everything both ways
        sockets.append(ws)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    open_widget(page, stack)
    payload = '<img src=x onerror="window.__xss=1">'
    bot_messages = page.locator(".rw-item-bot")
    before = bot_messages.count()
    ask(page, payload)
    wait_for_more(bot_messages, before)  # whatever the bot answers to it
    assert user_texts(page)[-1] == payload

    # the bot (or a consultant) sending HTML, formatting and links
    bot_text = (
        '<img src=x onerror="window.__xss=2"> <script>window.__xss=3</script> **vet**\n'
        "- een\n- twee\n"
        "Zie https://www.uwv.nl/jobcoach. Niet javascript:window.__xss=4 of data:text/html,x\n"
        "Download deze vragen: http://localhost:5015/webhooks/kennisbank/vragen/vragen_jobcoaching.md"
    )
    sockets[-1].send("42" + json.dumps(["bot_uttered", {"text": bot_text}]))
    bubble = page.locator(".rw-item-bot", has_text="window.__xss=2").locator(".rw-msg")
    bubble.wait_for()
    assert '<img src=x onerror="window.__xss=2">' in bubble.inner_text()
    assert bubble.locator("strong").inner_text() == "vet"
    assert bubble.locator("li").all_inner_texts() == ["een", "twee"]
    links = bubble.locator("a")
    assert links.count() == 2
    assert links.nth(0).get_attribute("href") == "https://www.uwv.nl/jobcoach"  # the full stop is not part of it
    assert links.nth(0).get_attribute("target") == "_blank"
    assert "noopener" in links.nth(0).get_attribute("rel")
    assert links.nth(1).get_attribute("download") == "vragen_jobcoaching.md"
    assert "vragen_jobcoaching.md" in links.nth(1).inner_text()
    assert (
        page.evaluate(
            "() => document.getElementById('reintegratie-widget').shadowRoot.querySelectorAll('img, script').length"
        )
        == 0
    )
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__xss") is None


@in_browser
def test_handoff_status_and_reconnect_after_network_loss(new_page, stack: dict) -> None:
    page = new_page()
    sockets = []

    def route(ws) -> None:
        server = ws.connect_to_server()
        sockets.append((ws, server))

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    open_widget(page, stack)
    session_id = page.evaluate(f"() => sessionStorage.getItem('{SESSION_KEY}')")
    shadow = "document.getElementById('reintegratie-widget').shadowRoot"

    def console_sends(events: list[dict]) -> None:
        """What the consultant console does (console/rasa_api.py): append its events, sent to the user's channel."""
        requests.post(
            f"{stack['urls']['rasa']}/conversations/{socket_conversation_id(session_id)}/tracker/events",
            params={"token": TOKEN, "execute_side_effects": "true", "output_channel": "socketio"},
            json=events,
            timeout=30,
        ).raise_for_status()

    def handoff_shows(text: str, present: bool = True) -> None:
        page.wait_for_function(
            f"([text, present]) => {shadow}.querySelector('.rw-handoff').textContent.includes(text) === present",
            arg=[text, present],
        )

    page.locator(".rw-human").click()
    assert user_texts(page)[-1] == "Praat met een medewerker"
    console_sends(claim_events("Sanne"))
    handoff_shows("Je praat nu met een medewerker (Sanne)")
    assert page.locator(".rw-handoff").is_visible()
    console_sends(reply_events("Sanne", "Hallo, ik ben Sanne. Waar kan ik je mee helpen?"))
    agent = page.locator(".rw-agent", has_text="ik ben Sanne")
    agent.wait_for()
    assert agent.locator(".rw-label").inner_text() == "Medewerker Sanne"
    ask(page, "ik zoek werk met een jobcoach")  # the bot is paused: no typing indicator, the consultant answers
    assert page.locator(".rw-typing").is_hidden()
    console_sends(close_events())
    handoff_shows("Je praat nu met een medewerker", present=False)
    page.locator(".rw-msg", has_text="weer met de digitale assistent").wait_for()

    # a handoff message straight from the socket (as if the bot itself sent it)
    sockets[-1][0].send("42" + json.dumps(["bot_uttered", {"handoff": {"status": "aangevraagd"}}]))
    handoff_shows("Je vraag staat klaar voor een medewerker")

    # the network drops: a calm status line, then socket.io reconnects to the same session
    ws, server = sockets[-1]
    ws.close()
    server.close()
    page.wait_for_function(
        f"() => {shadow}.querySelector('.rw-status').textContent.includes('Verbinding verbroken, opnieuw verbinden')"
    )
    page.wait_for_function(f"() => {shadow}.querySelector('.rw-status').textContent === ''")
    assert len(sockets) >= 2
    assert page.evaluate(f"() => sessionStorage.getItem('{SESSION_KEY}')") == session_id
    before = sourced_answers(page).count()
    ask(page, "wat is een jobcoach")
    wait_for_more(sourced_answers(page), before)


@in_browser
def test_reload_keeps_the_session_and_the_conversation(new_page, stack: dict) -> None:
    page = open_widget(new_page(), stack)
    ask(page, "wat is een jobcoach")
    wait_for_more(sourced_answers(page), 0)
    session_id = page.evaluate(f"() => sessionStorage.getItem('{SESSION_KEY}')")
    assert session_id
    messages = page.locator(".rw-msg").all_inner_texts()

    page.reload()
    page.locator("#rw-panel").wait_for()  # it was open, so it opens again
    assert page.evaluate(f"() => sessionStorage.getItem('{SESSION_KEY}')") == session_id
    assert page.locator(".rw-msg").all_inner_texts() == messages

    ask(page, "hoeveel uur jobcoaching krijg ik per week?")
    wait_for_more(sourced_answers(page), 1)
    # one conversation on the server: both questions under the same sender id
    tracker = requests.get(
        f"{stack['urls']['rasa']}/conversations/{socket_conversation_id(session_id)}/tracker",
        params={"token": TOKEN},  # Rasa 3.6 --auth-token
        timeout=30,
    ).json()
    said = [event.get("text") for event in tracker["events"] if event["event"] == "user"]
    assert "wat is een jobcoach" in said
    assert "hoeveel uur jobcoaching krijg ik per week?" in said


@in_browser
@pytest.mark.parametrize(
    "screen",
    [
        pytest.param({"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}, id="360px"),
        # 200% zoom of a 1280 x 720 laptop screen: 640 x 360 CSS pixels at device pixel ratio 2
        pytest.param({"viewport": {"width": 640, "height": 360}, "device_scale_factor": 2}, id="200pct"),
    ],
)
def test_small_screen_and_zoom(new_page, stack: dict, screen: dict) -> None:
    page = open_widget(new_page(**screen), stack)
    width, height = screen["viewport"]["width"], screen["viewport"]["height"]
    panel = page.locator("#rw-panel").bounding_box()
    assert panel["width"] == pytest.approx(width, abs=1), "the panel fills a small screen"
    for selector in ("#rw-input", ".rw-send", ".rw-human", ".rw-close"):
        box = page.locator(selector).bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, selector
        assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, selector
        assert box["height"] >= 24 and box["width"] >= 24, f"{selector} is too small to tap"
    assert page.evaluate(
        "() => { const p = document.getElementById('reintegratie-widget').shadowRoot.getElementById('rw-panel');"
        " return p.scrollWidth <= p.clientWidth; }"
    ), "no horizontal scrolling in the panel"
    page.locator("#rw-input").fill("wat is een jobcoach")
    page.locator(".rw-send").click()
    wait_for_more(sourced_answers(page), 0)
    save_screenshot(page, f"widget-{width}x{height}.png")


@in_browser
def test_axe_finds_no_serious_violations(new_page, stack: dict) -> None:
    assert AXE.is_file(), "axe-core missing: run 'npm ci --prefix web' (make install does)"
    page = new_page()
    # axe as an init script: the demo page's CSP refuses inline scripts (so add_script_tag), but not these
    page.add_init_script(path=str(AXE))
    page.emulate_media(reduced_motion="reduce")
    open_widget(page, stack)
    ask(page, "wat is een jobcoach")
    wait_for_more(sourced_answers(page), 0)
    assert (
        page.evaluate(
            "() => getComputedStyle(document.getElementById('reintegratie-widget').shadowRoot"
            ".querySelector('.rw-dots span')).animationName"
        )
        == "none"
    ), "prefers-reduced-motion: no animation"
    assert page.evaluate("() => document.documentElement.lang") == "nl"

    results = page.evaluate(
        """async () => {
          const r = await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
          });
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
          }));
        }"""
    )
    for violation in results:
        print(f"axe {violation['impact']}: {violation['id']} - {violation['help']} {violation['nodes']}")
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    assert not serious, json.dumps(serious, indent=2, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------------------
# web/serve.py on its own (no browser, no Rasa)


@pytest.fixture
def demo_server() -> Iterator[str]:
    import threading
    from functools import partial
    from http.server import ThreadingHTTPServer

    from web import serve

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(serve.Handler, rasa_url='https://rasa.example/"><x'))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_demo_server_serves_the_page_with_the_rasa_url_and_nothing_outside_public(demo_server: str) -> None:
    page = requests.get(demo_server + "/", timeout=5)
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'data-server="https://rasa.example/&quot;&gt;&lt;x"' in page.text  # escaped, no broken attribute
    assert 'data-server="http://localhost:5005"' not in page.text
    script = requests.get(demo_server + "/widget/widget.js", timeout=5)
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert requests.get(demo_server + "/widget/widget.css", timeout=5).ok
    assert requests.get(demo_server + "/privacy.html", timeout=5).ok
    vendor = requests.get(demo_server + "/widget/vendor/socket.io.min.js", timeout=5)
    assert vendor.ok or "npm ci" in vendor.text
    for path in (
        "/../serve.py",
        "/widget/../../serve.py",
        "/%2e%2e/serve.py",
        "/widget/%2e%2e/%2e%2e/README.md",
        "/nope.html",
    ):
        response = requests.get(demo_server + path, timeout=5)
        assert response.status_code == 404, path


def test_demo_server_resolves_only_files_in_public() -> None:
    from web import serve

    assert serve.resolve("/") == serve.PUBLIC / "index.html"
    assert serve.resolve("/widget/widget.js?v=1") == serve.PUBLIC / "widget" / "widget.js"
    assert serve.resolve("/../serve.py") is None
    assert serve.resolve("/widget/%2e%2e/%2e%2e/package.json") is None
    assert serve.resolve("/widget") is None  # a folder, not a file
