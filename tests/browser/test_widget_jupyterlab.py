"""End to end: a real JupyterLab server and kernel, the widget played in chromium, `recorder.song` in the kernel.

The notebook's one cell shows a KeyboardRecorder whose `on_bar` callback (run in the kernel when the bar
ends) writes `recorder.song` to recorded.json and saves theme.mid beside the notebook; the test plays four
notes, one per beat, with the mouse, the computer keyboard and a (fake) Web MIDI keyboard, and reads both.
Real time runs here, so the grid is one step per beat at 60 BPM: a note lands on the right beat unless the
browser is more than half a second late.
"""

import json
import time

import nbformat
from browser_support import open_notebook_and_run_it

from deepcomposer_edu.music.midi import read_midi

CELL = """\
import json, pathlib
from deepcomposer_edu.widgets import KeyboardRecorder

recorder = KeyboardRecorder(tempo=60, bars=1, count_in=0, grid=1, metronome=False)

@recorder.on_bar
def write_result(bar, bar_song):
    song = recorder.song
    recorder.save("theme.mid", overwrite=True)
    notes = [[n.pitch, n.start, n.end, n.velocity] for n in song.notes]
    pathlib.Path("recorded.json").write_text(json.dumps({"bar": bar, "tempo": song.tempo, "notes": notes}))

recorder
"""


def write_notebook(path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


def wait_for_file(path, seconds):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path.name} was not written by the kernel"
        time.sleep(0.2)
    return path


def test_notes_played_in_jupyterlab_reach_recorder_song_in_the_kernel(browser, jupyterlab, fake_midi):
    url, folder = jupyterlab
    write_notebook(folder / "record.ipynb")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        context.add_init_script(fake_midi)
        page = context.new_page()
        open_notebook_and_run_it(page, url, "record.ipynb")
        page.wait_for_function("document.querySelector('.dc-midi').textContent.includes('Fake Keys 49')")

        def at(seconds):  # wait until `seconds` after Record was clicked
            time.sleep(max(0.0, started + seconds - time.monotonic()))

        started = time.monotonic()
        page.click(".dc-record")
        page.hover('.dc-key[data-pitch="60"]')
        page.mouse.down()  # beat 0: C4 with the mouse
        at(0.95)
        page.mouse.up()
        page.click(".dc-midi")  # focus the widget (not a key) for the computer keyboard
        at(1.0)
        page.keyboard.down("KeyD")  # beat 1: E4 from the computer keyboard
        at(1.95)
        page.keyboard.up("KeyD")
        at(2.0)
        page.evaluate("window.midi(0x90, 67, 100)")  # beat 2: G4 from the MIDI keyboard, velocity 100
        at(2.95)
        page.evaluate("window.midi(0x80, 67, 0)")
        at(3.0)
        page.keyboard.down("KeyD")  # beat 3: E4 again (D D would delete the cell if JupyterLab saw it)
        at(3.95)
        page.keyboard.up("KeyD")

        result = json.loads(wait_for_file(folder / "recorded.json", 60).read_text())
        assert result["bar"] == 0 and result["tempo"] == 60
        assert [tuple(note) for note in result["notes"]] == [(60, 0, 1, 90), (64, 1, 2, 90), (67, 2, 3, 100), (64, 3, 4, 90)]
        saved = read_midi(folder / "theme.mid")
        assert [(n.pitch, n.start, n.end) for n in saved.notes] == [(60, 0, 1), (64, 1, 2), (67, 2, 3), (64, 3, 4)]
        assert page.locator(".jp-Notebook .jp-Cell").count() == 1
    finally:
        context.close()
