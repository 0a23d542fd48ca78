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
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HERE = Path(__file__).resolve().parent
WIDGET_FILES = Path(__file__).resolve().parents[2] / "deepcomposer_edu" / "widgets"

FAKE_MIDI = """
window.fakeInput = { name: "Fake Keys 49", onmidimessage: null };
navigator.requestMIDIAccess = async () => ({
  inputs: new Map([["input-1", window.fakeInput]]), outputs: new Map(), onstatechange: null,
});
window.midi = (...bytes) => window.fakeInput.onmidimessage({ data: new Uint8Array(bytes) });
"""


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)"))


@pytest.fixture
def fake_midi() -> str:
    """An init script for a fake Web MIDI keyboard: requestMIDIAccess resolves with one input, and
    window.midi(status, data1, data2) delivers a message to it as a hardware keyboard would."""
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


# --- a real JupyterLab server ------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A token-less JupyterLab on 127.0.0.1 (a free port) serving a temporary folder: yields (url, folder).

    Its settings, workspaces and runtime files live in another temporary folder, so nothing of the user's
    own JupyterLab is read or written; the news announcements (which would go to the network) are off.
    """
    folder = tmp_path_factory.mktemp("lab")
    private = tmp_path_factory.mktemp("lab_private")
    (private / "config" / "labconfig").mkdir(parents=True)
    (private / "config" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}})
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(private / "config"),
        "JUPYTER_RUNTIME_DIR": str(private / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(private / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(private / "settings"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={folder}", "--ServerApp.allow_root=True", "--LabApp.expose_app_in_browser=True",
        "--LabApp.extension_manager=readonly",  # no look-ups on PyPI
    ]
    log = open(private / "jupyterlab.log", "w")
    server = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start: {(private / 'jupyterlab.log').read_text()[-2000:]}")
                time.sleep(0.3)
        yield url, folder
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
