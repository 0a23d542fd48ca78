"""Make docs/images/keyboard.png: the keyboard widget in a real JupyterLab, in the middle of a recording.

    python tests/browser/make_screenshot.py [--output docs/images/keyboard.png]

Starts a private JupyterLab (see browser_support.py), runs a one-cell notebook showing a KeyboardRecorder,
plays the opening of Ode to Joy on the computer keys in real time, and photographs the cell while the last
note is still held. Web MIDI shows what a laptop with no MIDI keyboard plugged in shows: headless chromium
here has no MIDI system at all, so the page gets a Web MIDI with no inputs.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat
from browser_support import CHROMIUM, CHROMIUM_ARGS, REPO, jupyterlab_server, open_notebook_and_run_it

from deepcomposer_edu.files import atomic_write_bytes

CELL = """\
from deepcomposer_edu.widgets import KeyboardRecorder

recorder = KeyboardRecorder(tempo=120, bars=4, count_in=1)
recorder"""
# Ode to Joy on the computer keys (D = E4, F = F4, G = G4, S = D4, A = C4), in beats at 120 BPM.
MELODY = ["KeyD", "KeyD", "KeyF", "KeyG", "KeyG", "KeyF", "KeyD", "KeyS", "KeyA", "KeyA", "KeyS", "KeyD"]
BEAT_SECONDS = 0.5
NO_MIDI_KEYBOARD = "navigator.requestMIDIAccess = async () => ({ inputs: new Map(), outputs: new Map() });"
COUNT_IN_SECONDS = 4 * BEAT_SECONDS


def make_screenshot(output: Path) -> Path:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as private:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, Path(folder) / "record.ipynb")
        with jupyterlab_server(Path(folder), Path(private)) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1180, "height": 900}, device_scale_factor=2)
            context.add_init_script(NO_MIDI_KEYBOARD)
            page = context.new_page()
            open_notebook_and_run_it(page, url, "record.ipynb")
            page.evaluate("() => window.jupyterapp.shell.collapseLeft()")  # the file browser: room for the cell
            page.wait_for_function("document.querySelector('.dc-midi').textContent !== ''")
            page.click(".dc-midi")  # focus the widget
            page.keyboard.press("Space")  # record: one bar of count-in, then four bars
            first_beat = time.monotonic() + COUNT_IN_SECONDS
            for beat, code in enumerate(MELODY + ["KeyD"]):
                time.sleep(max(0.0, first_beat + beat * BEAT_SECONDS - time.monotonic()))
                page.keyboard.down(code)
                if beat < len(MELODY):
                    time.sleep(BEAT_SECONDS * 0.8)
                    page.keyboard.up(code)
            time.sleep(0.3)  # the last E4 is held: the key lights up and its note grows on the pianoroll
            page.mouse.move(5, 5)
            page.add_style_tag(content=".jp-cell-toolbar { display: none !important; }")  # hover icons
            image = page.locator(".jp-Notebook .jp-Cell").first.screenshot()
            browser.close()
    return atomic_write_bytes(output, image, overwrite=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "images" / "keyboard.png")
    print(f"wrote {make_screenshot(parser.parse_args().output)}")
