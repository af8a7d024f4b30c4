"""The HTML report in a real browser: headless Chromium opens it from disk and we look.

Chromium is driven over the DevTools protocol on a pipe
(`--remote-debugging-pipe`, the transport Puppeteer and Playwright use): no
TCP port is opened and no client package is needed, only the Debian package
`chromium` (`make browser` installs it). Skipped, saying so, where it is absent.

The report comes from the real pipeline (real spaCy, the fake embedder) on
a small corpus in which a participant pastes `<script>` and
`<img onerror=...>` into the conversation, and the curation renames a theme
to a label that tries to close the map's script element.
"""
from __future__ import annotations

import base64
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from pipeline import schema
from pipeline.config import load_config
from pipeline.runner import rerender as render_run
from pipeline.runner import run

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--remote-debugging-pipe"]
TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason="Chromium is not installed (Debian package `chromium`; `make browser` installs it)")

SCRIPT_PAYLOAD = "<script>window.pwned = 1; alert(1)</script>"
IMG_PAYLOAD = "<img src=x onerror=\"window.pwned = 2; alert(2)\">"
LABEL_PAYLOAD = "Forms </script><script>window.pwned = 3</script> & <b>scripts</b>"
TOPICS = [
    "We had to choose between answering the phones and clearing the casework backlog, the phones never stop.",
    "The agency staff cost us a fortune, so we decided to stop using agency workers and train our own people.",
    "Pushing everyone online saves money but older residents without broadband cannot use the online forms.",
]
PASTED = (f"The supplier portal showed {SCRIPT_PAYLOAD} and then {IMG_PAYLOAD} on the screen "
          "instead of the online forms, every single time we tried to use the online forms.")


class Browser:
    """Headless Chromium and one page, spoken to in DevTools protocol messages over a pipe."""

    def __init__(self, executable: str, profile: Path):
        self.executable = executable
        self.profile = profile
        self.events: list[dict[str, Any]] = []

    def start(self) -> Browser:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def give_fds() -> None:  # the protocol pipe is fd 3 (commands) and fd 4 (replies)
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=give_fds, close_fds=False, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer, self._next_id = b"", 0
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=self.session)
        return self

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        reply = self._read_until(lambda m: m.get("id") == message["id"])
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def page(self, method: str, params: dict | None = None) -> dict:
        return self.call(method, params, session=self.session)

    def open(self, url: str) -> None:
        self.page("Page.navigate", {"url": url})
        self._read_until(lambda m: m.get("method") == "Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def screenshot(self, path: Path, selector: str = "body") -> None:
        """A PNG of one element (for a person to look at when a test fails)."""
        box = self.evaluate(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                            ".getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; })()")
        shot = self.page("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": {
            "x": box[0], "y": box[1], "width": box[2], "height": box[3], "scale": 1}})
        path.write_bytes(base64.b64decode(shot["data"]))

    def problems(self) -> list[str]:
        """Script errors, console errors, dialogs and network requests seen so far."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"script error: {params['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console {params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log error: {params['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                found.append(f"a dialog opened: {params.get('message')}")
            elif method == "Network.requestWillBeSent" and not params["request"]["url"].startswith(
                    ("file://", "data:", "about:")):
                found.append(f"network request: {params['request']['url']}")
        return found

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_chrome, self._from_chrome):
            os.close(fd)

    def _read_until(self, wanted) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                    if message["method"] == "Page.javascriptDialogOpening":
                        # An alert would block the page: dismiss it, and `problems` reports it.
                        self._dismiss_dialog(message.get("sessionId"))
                if wanted(message):
                    return message
            ready, _, _ = select.select([self._from_chrome], [], [], 0.5)
            if ready:
                chunk = os.read(self._from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        raise TimeoutError("no reply from Chromium")

    def _dismiss_dialog(self, session: str | None) -> None:
        self._next_id += 1
        message = {"id": self._next_id, "method": "Page.handleJavaScriptDialog",
                   "params": {"accept": False}, "sessionId": session}
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")


def write_corpus(folder: Path) -> Path:
    teams = ("housing", "finance", "care")
    for team in teams:
        (folder / team).mkdir(parents=True)
        for n in range(2):
            lines = ["Helen Marsh: Thanks for making the time today, shall we start?"]
            for sentence in TOPICS:
                lines.append("Helen Marsh: Can you tell me about that side of the work?")
                lines.append(f"Speaker {team.title()}{n}: {sentence} Honestly it was the same story every week.")
            if team == "finance" and n == 0:
                lines += ["Helen Marsh: And the portal?", f"Speaker {team.title()}{n}: {PASTED}"]
            (folder / team / f"talk{n}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "manifest.csv").write_text("file,team,interviewer\n" + "".join(
        f"{team}/talk{n}.txt,{team},Helen Marsh\n" for team in teams for n in range(2)), encoding="utf-8")
    (folder / "README.md").write_text("Not a transcript.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory, nlp) -> dict[str, Any]:
    """A pipeline-made report whose quotes and curated label carry markup."""
    from pipeline.embed import HashingEmbedder

    base = tmp_path_factory.mktemp("browser")
    out = base / "out"
    # k-means with one cluster per topic: three themes, whatever HDBSCAN makes of a corpus this small.
    config = load_config(**{"reduce.method": "pca", "cluster.method": "kmeans", "cluster.n_clusters": 3})
    run(write_corpus(base / "in"), out=out, config=config, embedder=HashingEmbedder(dim=64), nlp=nlp,
        cache_dir=None)
    first = render_run(out).run  # keys the themes
    online = first.quotes[first.quotes[schema.TEXT].str.contains("supplier portal")]
    assert SCRIPT_PAYLOAD in " ".join(online[schema.TEXT]), "the pasted markup did not reach a quote"
    theme_id = int(online[schema.THEME_ID].iloc[0])
    assert theme_id != schema.NO_THEME, "the pasted quote landed in no theme; change the corpus"
    key = first.themes.loc[first.themes[schema.THEME_ID] == theme_id, "theme_key"].iloc[0]
    payload_id = online[schema.QUOTE_ID].iloc[0]
    # Split the pasted quote into a theme of its own, so a card quotes it, and
    # give the parent a label that tries to close the script element.
    (out / "curation.toml").write_text(
        f'[[split]]\ntheme = "{key}"\nquote_ids = ["{payload_id}"]\nlabel = "The portal"\n\n'
        f'[[rename]]\ntheme = "{key}"\nlabel = {json.dumps(LABEL_PAYLOAD)}\n', encoding="utf-8")
    curated = render_run(out).run
    assert len(curated.summary["curation"]["applied"]) == 2
    return {"out": out, "run": curated, "payload_quote": payload_id}


@pytest.fixture(scope="module")
def browser(report, tmp_path_factory):
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-"))
    chromium = Browser(CHROMIUM, profile).start()
    chromium.open((report["out"] / "theme_report.html").resolve().as_uri())
    chromium.wait_for("document.getElementById('quote-map').getAttribute('data-drawn') === 'true'")
    yield chromium
    chromium.close()
    shutil.rmtree(profile, ignore_errors=True)


def test_report_opens_with_no_script_error_dialog_or_network_request(browser):
    assert browser.problems() == []
    assert browser.evaluate("window.pwned === undefined")


def test_the_map_draws_one_point_per_placed_quote(browser, report):
    quotes = report["run"].quotes
    n_placed = int((quotes[schema.X_2D].notna() & quotes[schema.Y_2D].notna()).sum())
    assert browser.evaluate("document.querySelectorAll('#quote-map .scatterlayer .point').length") == n_placed
    assert browser.evaluate("document.querySelectorAll('#quote-map .legend .traces').length") >= 2


def test_hovering_a_point_shows_its_quote_as_text(browser, report):
    quote_id = report["payload_quote"]
    shown = browser.evaluate(f"""(() => {{
        const gd = document.getElementById('quote-map');
        for (let c = 0; c < gd.data.length; c++) {{
            const p = gd.data[c].customdata.indexOf({json.dumps(quote_id)});
            if (p >= 0) {{ Plotly.Fx.hover(gd, [{{curveNumber: c, pointNumber: p}}]); break; }}
        }}
        const layer = gd.querySelector('.hoverlayer');
        return {{text: layer.textContent, elements: layer.querySelectorAll('script, img, foreignObject').length}};
    }})()""")
    # Plotly wraps long hover text into lines; compare without the spaces it breaks at.
    assert "".join(SCRIPT_PAYLOAD.split()) in "".join(shown["text"].split())
    assert "".join(IMG_PAYLOAD.split()) in "".join(shown["text"].split())
    assert shown["elements"] == 0
    assert browser.problems() == []


def test_every_theme_card_is_there_and_markup_shows_as_text(browser, report):
    themes = report["run"].themes
    ids = browser.evaluate("[...document.querySelectorAll('article.theme-card')].map(a => a.id)")
    assert sorted(ids) == sorted(f"theme-{t}" for t in themes[schema.THEME_ID])
    text = browser.evaluate("document.body.innerText")
    assert LABEL_PAYLOAD in text  # the curated label, in its card and the matrix
    assert browser.evaluate("document.querySelectorAll('img').length") == 0
    # Our three (the map's data, plotly.js, the set-up); none from the data.
    assert browser.evaluate("document.scripts.length") == 3
    assert browser.evaluate("document.querySelectorAll('article b, article script').length") == 0
    assert browser.evaluate("window.pwned === undefined")


def test_the_pasted_markup_in_a_quote_shows_as_text_on_its_card(browser, report):
    card = browser.evaluate("""[...document.querySelectorAll('article.theme-card')]
        .filter(a => a.querySelector('h3').textContent === 'The portal')
        .map(a => ({text: a.innerText, markup: a.querySelectorAll('img, script').length}))[0]""")
    assert SCRIPT_PAYLOAD in card["text"] and IMG_PAYLOAD in card["text"]
    assert card["markup"] == 0


def test_each_theme_card_prints_on_a_page_of_its_own(browser, report):
    """Printed as the report asks (A4), each theme card starts a page and its next page is another's."""
    pdf = base64.b64decode(browser.page("Page.printToPDF", {"preferCSSPageSize": True})["data"])
    pages = [unicodedata.normalize("NFKC", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]
    starts = {}
    for theme_id in report["run"].themes[schema.THEME_ID]:
        # The card's kicker (upper-cased in print) names it once: "SHARED ACROSS TEAMS · THEME 2 · t…".
        found = [i for i, text in enumerate(pages) if re.search(rf"\bTHEME {theme_id} ·", text)]
        assert len(found) == 1, (theme_id, found)
        starts[theme_id] = found[0]
    after = [i for i, text in enumerate(pages) if text.startswith("Method and settings")]
    assert after, "the method section starts a page of its own"
    order = sorted(starts.values()) + [after[0]]
    pages_per_card = {theme: order[order.index(start) + 1] - start for theme, start in starts.items()}
    assert pages_per_card == dict.fromkeys(starts, 1), pages_per_card
    assert browser.problems() == []
