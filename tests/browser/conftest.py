"""Real-browser fixtures for the keyboard widget: Debian's chromium driven by Playwright (no browser download).

Every test in this folder is marked `browser` and is skipped only where /usr/bin/chromium is missing
(.ci/run installs it, so CI runs them). The widget's ES module is served with a test page (harness.html) on
127.0.0.1; the page gives it a stand-in for anywidget's model that records what would reach Python.
Playwright's fake clock makes note timings exact: time moves only when a test says `run_for(ms)`.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, FAKE_MIDI, REPO, jupyterlab_server

HERE = Path(__file__).resolve().parent
WIDGET_FILES = REPO / "deepcomposer_edu" / "widgets"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)"))


@pytest.fixture
def fake_midi() -> str:
    """The init script of a fake Web MIDI keyboard (see browser_support.FAKE_MIDI)."""
    return FAKE_MIDI


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def widget_server(tmp_path_factory):
    """Base URL of a local web server holding the test page beside keyboard.js and keyboard.css."""
    folder = tmp_path_factory.mktemp("widget_page")
    shutil.copy(HERE / "harness.html", folder / "index.html")
    for name in ("keyboard.js", "keyboard.css"):
        shutil.copy(WIDGET_FILES / name, folder / name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def widget_state(**settings) -> dict:
    """The widget's synced state exactly as Python's KeyboardRecorder(**settings) would send it."""
    from deepcomposer_edu.widgets.keyboard import KeyboardRecorder

    recorder = KeyboardRecorder(**settings)
    state = {name: getattr(recorder, name) for name in KeyboardRecorder.class_own_traits(sync=True)}
    recorder.close()
    return state


@pytest.fixture
def open_widget(browser, widget_server):
    """open_widget(init_script=None, **settings) -> a page showing the widget, with its clock paused."""
    contexts, errors = [], []

    def open_page(init_script: str | None = None, **settings):
        context = browser.new_context(viewport={"width": 960, "height": 520})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.clock.install(time=0)
        page.add_init_script(f"window.INITIAL_STATE = {json.dumps(widget_state(**settings))};")
        if init_script:
            page.add_init_script(init_script)
        page.goto(widget_server)
        page.wait_for_function("window.widgetReady === true")
        page.clock.pause_at(1000)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"errors in the page: {errors}"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server for this test module: yields (url, the folder it serves)."""
    folder = tmp_path_factory.mktemp("lab")
    with jupyterlab_server(folder, tmp_path_factory.mktemp("lab_private")) as url:
        yield url, folder
