"""The keyboard widget's ES module in real chromium, with a stand-in model (see conftest.py and harness.html).

Time is Playwright's fake clock: it moves only by `page.clock.run_for(ms)`, so every timing is exact and
worked out by hand from the tempo (at 120 BPM a beat is 500 ms, a 4/4 bar 2000 ms).
"""

import pytest

from deepcomposer_edu.widgets.keyboard import KeyboardRecorder

NO_WEB_MIDI = "delete Navigator.prototype.requestMIDIAccess;"


def notes(page):
    return page.evaluate("window.model.state.notes")


def timings(page):
    return [(n["pitch"], n["velocity"], n["start_ms"], n["end_ms"]) for n in notes(page)]


def key(page, pitch):
    return page.locator(f'.dc-key[data-pitch="{pitch}"]')


def hold_key(page, pitch, ms):
    """Press an on-screen key with the mouse for `ms` of fake time."""
    box = key(page, pitch).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 12)
    page.mouse.down()
    page.clock.run_for(ms)
    page.mouse.up()


def test_clicked_keys_reach_the_model_with_their_timings(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=2)
    page.click(".dc-record")
    assert page.evaluate("window.model.state.state") == "recording"
    page.clock.run_for(500)
    hold_key(page, 60, 250)  # C4 from 500 ms (beat 1) to 750 ms (beat 1.5)
    page.clock.run_for(250)
    hold_key(page, 64, 500)  # E4 from 1000 ms (beat 2) to 1500 ms (beat 3)
    assert timings(page) == [(60, 90, 500, 750), (64, 90, 1000, 1500)]
    assert [(n["start"], n["end"]) for n in notes(page)] == [(1, 1.5), (2, 3)]
    # each note went to Python as it was released, not only at the end
    synced = [change["notes"] for change in page.evaluate("window.model.synced") if "notes" in change]
    assert [len(value) for value in synced] == [0, 1, 2]


def test_the_browser_notes_become_the_expected_song_in_python(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=1)
    page.click(".dc-record")
    page.clock.run_for(480)
    hold_key(page, 62, 270)  # 480..750 ms = beats 0.96..1.5 -> on the sixteenth grid: 1.0..1.5
    recorder = KeyboardRecorder(tempo=120, bars=1, grid=4, notes=notes(page))
    assert [(n.pitch, n.start, n.end, n.velocity) for n in recorder.song.notes] == [(62, 1.0, 1.5, 90)]
    recorder.close()


def test_computer_keys_play_the_documented_layout(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=2, velocity=70)
    page.click(".dc-keyboard .dc-midi")  # focus the widget without pressing a piano key
    page.keyboard.press("Space")  # Space starts recording
    for code in ["KeyA", "KeyW", "KeyJ", "KeyK", "Semicolon"]:  # C4, C#4, B4, C5, E5
        page.keyboard.down(code)
        page.clock.run_for(100)
        page.keyboard.up(code)
    page.keyboard.press("KeyX")  # one octave up: A is now C5
    page.keyboard.down("KeyA")
    page.keyboard.down("KeyA")  # a key held down repeats: the repeat must not restart the note
    page.clock.run_for(100)
    page.keyboard.up("KeyA")
    assert [t[0] for t in timings(page)] == [60, 61, 71, 72, 76, 72]
    assert [(t[2], t[3]) for t in timings(page)] == [(0, 100), (100, 200), (200, 300), (300, 400), (400, 500), (500, 600)]
    assert {t[1] for t in timings(page)} == {70}
    assert page.evaluate("window.model.state.octave") == 5


def test_a_key_released_after_an_octave_shift_ends_the_note_it_started(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=2)
    page.click(".dc-keyboard .dc-midi")
    page.keyboard.press("Space")
    page.keyboard.down("KeyA")  # C4
    page.keyboard.press("KeyZ")  # octave down while A is held
    page.clock.run_for(300)
    page.keyboard.up("KeyA")
    assert timings(page) == [(60, 90, 0, 300)]
    assert key(page, 48).count() == 1  # the keys now start at C3


def test_velocity_keys_change_the_velocity(open_widget):
    page = open_widget(velocity=90)
    page.click(".dc-keyboard .dc-midi")
    page.keyboard.press("KeyV")
    page.keyboard.press("KeyV")
    page.keyboard.press("KeyC")
    assert page.evaluate("window.model.state.velocity") == 100
    assert page.locator(".dc-velocity-value").inner_text() == "100"


def test_web_midi_notes_are_recorded_with_their_own_velocity(open_widget, fake_midi):
    page = open_widget(init_script=fake_midi, tempo=120, count_in=0, bars=2)
    page.wait_for_function("window.model.state.midi_status !== ''")
    assert page.evaluate("window.model.state.midi_status") == "MIDI keyboard: Fake Keys 49"
    page.click(".dc-record")
    page.clock.run_for(250)
    page.evaluate("window.midi(0x90, 67, 100)")  # note-on G4, velocity 100 (channel 1)
    page.clock.run_for(500)
    page.evaluate("window.midi(0x91, 72, 40)")  # note-on C5 on channel 2
    page.evaluate("window.midi(0x80, 67, 0)")  # note-off G4
    page.clock.run_for(250)
    page.evaluate("window.midi(0x91, 72, 0)")  # note-on with velocity 0 is a note-off
    page.evaluate("window.midi(0xB0, 64, 127)")  # a sustain-pedal controller: ignored, records nothing
    assert timings(page) == [(67, 100, 250, 750), (72, 40, 750, 1000)]


def test_without_web_midi_the_widget_says_so_and_the_keys_still_work(open_widget):
    page = open_widget(init_script=NO_WEB_MIDI, tempo=120, count_in=0, bars=1)
    page.wait_for_function("window.model.state.midi_status !== ''")
    message = page.locator(".dc-midi").inner_text()
    assert "No Web MIDI in this browser" in message and "computer keys" in message
    page.click(".dc-record")
    hold_key(page, 65, 500)
    assert timings(page) == [(65, 90, 0, 500)]


@pytest.mark.parametrize(
    "error, words",
    [("Permission denied', 'NotAllowedError", "Web MIDI was not allowed (Permission denied)"),
     ("Platform dependent initialization failed.', 'NotSupportedError",  # chromium without ALSA
      "Web MIDI could not start (Platform dependent initialization failed.)")],
)
def test_web_midi_that_fails_is_explained(open_widget, error, words):
    page = open_widget(init_script=f"navigator.requestMIDIAccess = async () => {{ throw new DOMException('{error}'); }};")
    page.wait_for_function("window.model.state.midi_status !== ''")
    assert words in page.evaluate("window.model.state.midi_status")


def test_count_in_then_bars_then_automatic_stop(open_widget, fake_midi):
    page = open_widget(init_script=fake_midi, tempo=120, numerator=3, denominator=4, count_in=1, bars=2)
    page.click(".dc-record")  # 3/4 at 120 BPM: a bar lasts 1500 ms; count-in -1500..0, take 0..3000
    assert page.evaluate("window.model.state.state") == "count-in"
    page.evaluate("window.midi(0x90, 60, 80)")  # played during the count-in: not recorded
    page.clock.run_for(500)
    page.evaluate("window.midi(0x80, 60, 0)")
    page.clock.run_for(1000)
    assert page.evaluate("window.model.state.state") == "recording"
    assert page.evaluate("window.model.sent") == []
    page.evaluate("window.midi(0x90, 62, 80)")  # D4 from 0 ...
    page.clock.run_for(1600)
    assert page.evaluate("window.model.sent") == [{"type": "bar", "bar": 0}]
    page.evaluate("window.midi(0x90, 64, 80)")  # E4 from 1600, still held when the take ends
    page.clock.run_for(400)
    page.evaluate("window.midi(0x80, 62, 0)")  # ... to 2000
    page.clock.run_for(1500)
    assert page.evaluate("window.model.state.state") == "stopped"
    assert page.evaluate("window.model.sent") == [{"type": "bar", "bar": 0}, {"type": "bar", "bar": 1}]
    assert timings(page) == [(62, 80, 0, 2000), (64, 80, 1600, 3000)]  # E4 cut at the end of the take


def test_stop_ends_a_take_early_and_reports_the_bar_cut_short(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=8)
    page.click(".dc-record")
    page.clock.run_for(2500)  # bar 0 is over; bar 1 has begun
    page.click(".dc-stop")
    assert page.evaluate("window.model.state.state") == "stopped"
    assert page.evaluate("window.model.sent") == [{"type": "bar", "bar": 0}, {"type": "bar", "bar": 1}]
    page.clock.run_for(5000)
    assert len(page.evaluate("window.model.sent")) == 2  # the clock stopped with the take


def test_undo_clear_and_a_new_take(open_widget):
    page = open_widget(tempo=120, count_in=0, bars=4)
    page.click(".dc-record")
    for pitch in (60, 62, 64):
        hold_key(page, pitch, 100)
    page.click(".dc-stop")
    page.click(".dc-undo")
    assert [n["pitch"] for n in notes(page)] == [60, 62]
    page.click(".dc-clear")
    assert notes(page) == []
    page.click(".dc-record")
    hold_key(page, 67, 100)
    page.click(".dc-record")  # Record again stops the take
    page.click(".dc-record")  # and once more starts a new one, without the old notes
    assert notes(page) == []


def test_changes_from_python_and_from_the_toolbar_meet_in_the_model(open_widget):
    page = open_widget()
    page.evaluate("window.model.fromPython('octave', 3)")  # as if Python set recorder.octave = 3
    assert key(page, 48).locator(".dc-key-name").inner_text() == "C3"
    assert page.locator(".dc-octave").inner_text() == "C3–C5"
    page.evaluate("window.model.fromPython('numerator', 5)")  # 5/4: not in the menu, so it is added
    assert page.input_value(".dc-meter") == "5/4"
    page.fill(".dc-tempo", "87")
    page.dispatch_event(".dc-tempo", "change")
    page.select_option(".dc-meter", "6/8")
    page.fill(".dc-bars", "500")  # out of range: clamped to the widget's limit
    page.dispatch_event(".dc-bars", "change")
    state = page.evaluate("window.model.state")
    assert (state["tempo"], state["numerator"], state["denominator"], state["bars"]) == (87, 6, 8, 64)


def test_settings_are_locked_during_a_take(open_widget):
    page = open_widget(count_in=0)
    page.click(".dc-record")
    assert page.locator(".dc-tempo").is_disabled() and page.locator(".dc-meter").is_disabled()
    page.click(".dc-stop")
    assert page.locator(".dc-tempo").is_enabled()


@pytest.mark.parametrize("code, leaks", [("KeyA", False), ("KeyZ", False), ("Space", False), ("KeyB", True)])
def test_keys_the_widget_uses_do_not_reach_the_notebook(open_widget, code, leaks):
    page = open_widget()
    page.evaluate("window.leaked = []; document.addEventListener('keydown', (e) => window.leaked.push(e.code));")
    page.click(".dc-keyboard .dc-midi")
    page.keyboard.press(code)
    assert page.evaluate("window.leaked") == ([code] if leaks else [])
    # JupyterLab also skips its command-mode shortcuts (A, B, D D, ...) inside an element marked so:
    assert page.get_attribute(".dc-keyboard", "data-lm-suppress-shortcuts") == "true"


def test_removing_the_view_stops_its_clock(open_widget):
    page = open_widget(count_in=0, tempo=120)
    page.click(".dc-record")
    page.evaluate("window.removeView()")
    page.clock.run_for(5000)
    assert page.evaluate("window.model.sent") == []
