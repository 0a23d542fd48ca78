"""Helpers for the real-browser tests and for making docs/images/keyboard.png (make_screenshot.py).

Debian's chromium driven by Playwright (never a downloaded browser), a fake Web MIDI keyboard, and a
private, token-less JupyterLab server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPO = Path(__file__).resolve().parents[2]

# An init script for a fake Web MIDI keyboard: requestMIDIAccess resolves with one input, and
# window.midi(status, data1, data2) delivers a message to it as a hardware keyboard would.
FAKE_MIDI = """
window.fakeInput = { name: "Fake Keys 49", onmidimessage: null };
navigator.requestMIDIAccess = async () => ({
  inputs: new Map([["input-1", window.fakeInput]]), outputs: new Map(), onstatechange: null,
});
window.midi = (...bytes) => window.fakeInput.onmidimessage({ data: new Uint8Array(bytes) });
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def jupyterlab_server(folder: Path, private: Path):
    """Run a token-less JupyterLab on 127.0.0.1 (a free port) serving `folder`; yields its URL.

    Its settings, workspaces and runtime files live in `private`, so nothing of the user's own JupyterLab is
    read or written; the news announcements and the extension manager (which would go to the network) are off.
    """
    (private / "config" / "labconfig").mkdir(parents=True, exist_ok=True)
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
        "--LabApp.extension_manager=readonly",
    ]
    log_path = private / "jupyterlab.log"
    with open(log_path, "w") as log:
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
                        raise RuntimeError(f"JupyterLab did not start: {log_path.read_text()[-2000:]}") from None
                    time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def open_notebook_and_run_it(page, url: str, name: str) -> None:
    """Open notebook `name` in JupyterLab, wait for its kernel, run all cells and wait for the keyboard."""
    page.goto(f"{url}/lab/tree/{name}", timeout=90_000)
    page.wait_for_function("!!(window.jupyterapp && window.jupyterapp.shell.currentWidget)", timeout=90_000)
    kernel_idle = "window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel?.status === 'idle'"
    page.wait_for_function(kernel_idle, timeout=90_000)  # before that, Run All asks which kernel to use
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_selector(".dc-keyboard .dc-key", timeout=90_000)
