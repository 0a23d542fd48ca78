// The browser half of KeyboardRecorder (deepcomposer_edu/widgets/keyboard.py).
// Lesson: lessons/01_record_a_melody.ipynb. Keyboard layout and fallbacks: docs/keyboard.md.
//
// A plain ES module: no build step, nothing fetched. anywidget calls render({model, el}) for each view.
// The model holds the settings and the recorded notes (synced with Python); a view holds what only the
// browser can do: sound (Web Audio), the clock of a take (count-in, metronome, bars), held keys, MIDI input.
//
// A recorded note, as sent to Python (appended to model "notes"):
//   {pitch, velocity, start_ms, end_ms, start, end}
// times counted from the first beat of the take (after the count-in): ms, and beats at the take's tempo.
// When bar n (from 0) of a take is over, the view sends the message {type: "bar", bar: n}.

// Computer keys by physical position (KeyboardEvent.code), laid out like a piano: the home row plays the
// white keys, the row above it the black keys. Values: semitones above the lowest C on screen.
export const COMPUTER_KEYS = {
  KeyA: 0, KeyW: 1, KeyS: 2, KeyE: 3, KeyD: 4, KeyF: 5, KeyT: 6, KeyG: 7, KeyY: 8, KeyH: 9,
  KeyU: 10, KeyJ: 11, KeyK: 12, KeyO: 13, KeyL: 14, KeyP: 15, Semicolon: 16, Quote: 17,
};
export const CONTROL_KEYS = { octaveDown: "KeyZ", octaveUp: "KeyX", softer: "KeyC", louder: "KeyV", record: "Space" };
export const KEYS_ON_SCREEN = 25; // two octaves and the C above them
const NAMES = ["C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"];
const BLACK = new Set([1, 3, 6, 8, 10]);
const METERS = ["2/4", "3/4", "4/4", "6/8"];
const LOOKAHEAD_MS = 100; // metronome clicks are scheduled this far ahead on the audio clock
const TICK_MS = 20;

export const noteName = (pitch) => NAMES[pitch % 12] + (Math.floor(pitch / 12) - 1);
const keyLabel = (code) => ({ Semicolon: ";", Quote: "'" })[code] ?? code.replace("Key", "");
const clamp = (value, low, high) => Math.min(high, Math.max(low, value));

// --- sound: one oscillator pair per held key, with an attack-decay-release envelope ------------------------

class Sound {
  constructor() {
    this.ctx = null;
    this.voices = new Map();
  }

  // Browsers only allow sound after a click or key press: called from those handlers.
  wake() {
    if (!this.ctx) {
      const AudioContext = globalThis.AudioContext || globalThis.webkitAudioContext;
      if (!AudioContext) return null;
      this.ctx = new AudioContext();
      this.master = this.ctx.createGain();
      this.master.gain.value = 0.5;
      this.master.connect(this.ctx.destination);
    }
    if (this.ctx.state === "suspended") this.ctx.resume();
    return this.ctx;
  }

  // A voice at audio time `at` (seconds, ctx clock): a triangle wave plus a soft sine an octave up.
  voice(pitch, velocity, at) {
    const ctx = this.ctx;
    const frequency = 440 * 2 ** ((pitch - 69) / 12);
    const peak = 0.35 * (velocity / 127) ** 1.5;
    const gain = ctx.createGain();
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(peak, at + 0.008);
    gain.gain.setTargetAtTime(peak * 0.45, at + 0.008, 0.25);
    gain.connect(this.master);
    const oscillators = [["triangle", 1, 1], ["sine", 2, 0.25]].map(([type, ratio, level]) => {
      const osc = ctx.createOscillator();
      const mix = ctx.createGain();
      osc.type = type;
      osc.frequency.value = frequency * ratio;
      mix.gain.value = level;
      osc.connect(mix).connect(gain);
      osc.start(at);
      return osc;
    });
    return { gain, oscillators };
  }

  release(voice, at) {
    voice.gain.gain.cancelScheduledValues(at);
    voice.gain.gain.setTargetAtTime(0, at, 0.07);
    for (const osc of voice.oscillators) osc.stop(at + 0.5);
  }

  noteOn(pitch, velocity) {
    if (!this.wake()) return;
    this.noteOff(pitch);
    this.voices.set(pitch, this.voice(pitch, velocity, this.ctx.currentTime));
  }

  noteOff(pitch) {
    const voice = this.voices.get(pitch);
    if (!voice) return;
    this.voices.delete(pitch);
    this.release(voice, this.ctx.currentTime);
  }

  // A whole note at once, `delay` seconds from now (play back).
  note(pitch, velocity, delay, duration) {
    if (!this.wake()) return;
    const at = this.ctx.currentTime + delay;
    this.release(this.voice(pitch, velocity, at), at + duration);
  }

  // A metronome click `delayMs` from now; the first beat of a bar is higher.
  click(delayMs, accent) {
    if (!this.wake()) return;
    const at = this.ctx.currentTime + Math.max(0, delayMs) / 1000;
    const osc = this.ctx.createOscillator();
    const gain = this.ctx.createGain();
    osc.frequency.value = accent ? 1760 : 1175;
    gain.gain.setValueAtTime(accent ? 0.5 : 0.3, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.05);
    osc.connect(gain).connect(this.master);
    osc.start(at);
    osc.stop(at + 0.06);
  }

  close() {
    if (this.ctx) this.ctx.close();
  }
}

// --- small DOM helper -------------------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "class") node.className = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

// --- one view of the recorder -----------------------------------------------------------------------------

function render({ model, el }) {
  const sound = new Sound();
  const held = new Map(); // pitch -> {velocity, startMs (null when not recording)}
  const keysDown = new Map(); // KeyboardEvent.code -> pitch it started (the octave may change meanwhile)
  let take = null; // the recording in progress, see startTake
  let playback = null; // {startMs, tempo} while recorded notes play back
  let mousePitch = null;
  let frame = null;
  const listeners = [];

  const listen = (target, type, handler, options) => {
    target.addEventListener(type, handler, options);
    listeners.push(() => target.removeEventListener(type, handler, options));
  };
  const onModel = (names, handler) => {
    for (const name of names.split(" ")) {
      model.on(`change:${name}`, handler);
      listeners.push(() => model.off(`change:${name}`, handler));
    }
  };
  const update = (changes) => {
    for (const [name, value] of Object.entries(changes)) model.set(name, value);
    model.save_changes();
  };
  const meter = () => [model.get("numerator"), model.get("denominator")];
  const barBeats = () => (meter()[0] * 4) / meter()[1];
  const lowestPitch = () => 12 * (model.get("octave") + 1);

  // --- layout ---
  const button = (label, title, action, cls = "") =>
    h("button", { class: `dc-button ${cls}`, type: "button", title, onclick: action }, label);
  const recordButton = button("● Record", "Count in, then record (Space)", () => toggleTake(), "dc-record");
  const stopButton = button("■ Stop", "Stop recording or playing", () => stopAll(), "dc-stop");
  const playButton = button("▶ Play", "Play back what was recorded", () => playBack(), "dc-play");
  const undoButton = button("↶ Undo", "Forget the last note", () => update({ notes: model.get("notes").slice(0, -1) }), "dc-undo");
  const clearButton = button("Clear", "Forget every note", () => update({ notes: [] }), "dc-clear");

  const tempoInput = h("input", { type: "number", min: "20", max: "400", step: "1", class: "dc-tempo", title: "Tempo: beats per minute" });
  const meterSelect = h("select", { class: "dc-meter", title: "Time signature" }, ...METERS.map((m) => h("option", { value: m }, m)));
  const barsInput = h("input", { type: "number", min: "1", max: "64", step: "1", class: "dc-bars", title: "Bars to record" });
  const countInSelect = h("select", { class: "dc-count-in", title: "Bars of clicks before recording" },
    ...[0, 1, 2, 3, 4].map((n) => h("option", { value: String(n) }, n === 0 ? "none" : `${n} bar${n > 1 ? "s" : ""}`)));
  const metronomeBox = h("input", { type: "checkbox", class: "dc-metronome" });
  const settings = [tempoInput, meterSelect, barsInput, countInSelect];

  const label = (text, control, after = "") => h("label", { class: "dc-field" }, text, control, after);
  const status = h("div", { class: "dc-status", role: "status" });
  const midiStatus = h("div", { class: "dc-midi" });
  const canvas = h("canvas", { class: "dc-roll", height: "170" });
  const octaveLabel = h("span", { class: "dc-octave" });
  const velocityInput = h("input", { type: "range", min: "1", max: "127", class: "dc-velocity", title: "Velocity (C / V)" });
  const velocityLabel = h("span", { class: "dc-velocity-value" });
  const piano = h("div", { class: "dc-piano" });

  const root = h("div", { class: "dc-keyboard", tabindex: "0", "data-lm-suppress-shortcuts": "true" },
    h("div", { class: "dc-toolbar" }, recordButton, stopButton, playButton, undoButton, clearButton, status),
    h("div", { class: "dc-toolbar dc-settings" },
      label("Tempo", tempoInput, "BPM"), label("Meter", meterSelect), label("Bars", barsInput),
      label("Count-in", countInSelect), label("", metronomeBox, "Metronome")),
    midiStatus,
    canvas,
    h("div", { class: "dc-toolbar dc-lower" },
      button("−", "Octave down (Z)", () => shiftOctave(-1), "dc-octave-down"), octaveLabel,
      button("+", "Octave up (X)", () => shiftOctave(1), "dc-octave-up"),
      label("Velocity", velocityInput), velocityLabel,
      h("span", { class: "dc-hint" }, "Keys: A W S E D F T G Y H U J K O L P ; '  ·  Z/X octave  ·  C/V velocity  ·  Space record")),
    piano);
  el.append(root);

  // --- the piano: white keys side by side, black keys on top between them ---
  const keyElements = [];
  const whiteCount = [...Array(KEYS_ON_SCREEN).keys()].filter((i) => !BLACK.has(i % 12)).length;
  let whiteIndex = 0;
  for (let offset = 0; offset < KEYS_ON_SCREEN; offset++) {
    const black = BLACK.has(offset % 12);
    const code = Object.keys(COMPUTER_KEYS).find((c) => COMPUTER_KEYS[c] === offset);
    const key = h("div", { class: `dc-key ${black ? "dc-black" : "dc-white"}`, "data-offset": String(offset) },
      h("span", { class: "dc-key-letter" }, code ? keyLabel(code) : ""), h("span", { class: "dc-key-name" }));
    const width = 100 / whiteCount;
    key.style.left = black ? `${(whiteIndex - 0.32) * width}%` : `${whiteIndex * width}%`;
    key.style.width = black ? `${width * 0.64}%` : `${width}%`;
    if (!black) whiteIndex++;
    key.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      root.focus();
      mousePitch = lowestPitch() + offset;
      noteOn(mousePitch, model.get("velocity"));
    });
    key.addEventListener("pointerenter", () => {
      if (mousePitch === null || mousePitch === lowestPitch() + offset) return;
      noteOff(mousePitch);
      mousePitch = lowestPitch() + offset;
      noteOn(mousePitch, model.get("velocity"));
    });
    keyElements.push(key);
    piano.append(key);
  }
  listen(globalThis, "pointerup", () => {
    if (mousePitch !== null) noteOff(mousePitch);
    mousePitch = null;
  });

  function showKeys() {
    const low = lowestPitch();
    keyElements.forEach((key, offset) => {
      const pitch = low + offset;
      key.dataset.pitch = String(pitch);
      key.querySelector(".dc-key-name").textContent = pitch % 12 === 0 ? noteName(pitch) : "";
      key.classList.toggle("dc-down", held.has(pitch));
    });
    octaveLabel.textContent = `${noteName(low)}–${noteName(low + KEYS_ON_SCREEN - 1)}`;
  }

  function showSettings() {
    tempoInput.value = String(model.get("tempo"));
    const meterText = meter().join("/");
    if (![...meterSelect.options].some((option) => option.value === meterText)) { // a meter set from Python
      meterSelect.append(h("option", { value: meterText }, meterText));
    }
    meterSelect.value = meterText;
    barsInput.value = String(model.get("bars"));
    countInSelect.value = String(model.get("count_in"));
    metronomeBox.checked = model.get("metronome");
    velocityInput.value = String(model.get("velocity"));
    velocityLabel.textContent = String(model.get("velocity"));
    for (const control of settings) control.disabled = take !== null;
    recordButton.classList.toggle("dc-active", take !== null);
    showKeys();
  }

  function showStatus() {
    const notes = model.get("notes");
    if (take) {
      const t = performance.now() - take.t0;
      const pulse = Math.floor(t / take.pulseMs);
      const beatInBar = (((pulse % take.numerator) + take.numerator) % take.numerator) + 1;
      status.textContent = t < 0
        ? `Count-in… ${beatInBar}`
        : `● Recording: bar ${Math.floor(t / take.barMs) + 1} of ${take.bars}, beat ${beatInBar}`;
    } else if (playback) {
      status.textContent = "▶ Playing back…";
    } else if (notes.length === 0) {
      status.textContent = "Ready: press Record (or Space), then play.";
    } else {
      status.textContent = `${notes.length} note${notes.length === 1 ? "" : "s"} recorded. Play to hear them, Record for a new take.`;
    }
    status.classList.toggle("dc-live", take !== null);
  }

  // --- playing notes ---
  function noteOn(pitch, velocity) {
    if (pitch < 0 || pitch > 127) return;
    if (held.has(pitch)) noteOff(pitch);
    sound.noteOn(pitch, velocity);
    held.set(pitch, { velocity, startMs: take ? performance.now() - take.t0 : null });
    showKeys();
    draw();
  }

  function noteOff(pitch) {
    const note = held.get(pitch);
    if (!note) return;
    held.delete(pitch);
    sound.noteOff(pitch);
    if (take && note.startMs !== null) record(pitch, note, Math.min(performance.now() - take.t0, take.endMs));
    showKeys();
    draw();
  }

  const round = (value) => Math.round(value * 1000) / 1000;
  function record(pitch, note, endMs) {
    if (endMs <= 0 || note.startMs >= take.endMs) return; // over before the first beat, or after the last
    const beats = (ms) => round((ms * take.tempo) / 60000);
    const recorded = {
      pitch, velocity: note.velocity,
      start_ms: round(note.startMs), end_ms: round(endMs), start: beats(note.startMs), end: beats(endMs),
    };
    update({ notes: [...model.get("notes"), recorded] });
  }

  // --- a take: count-in, then `bars` bars, with the metronome; times relative to t0, the first beat ---
  function startTake() {
    stopPlayback();
    sound.wake();
    const [numerator, denominator] = meter();
    const tempo = model.get("tempo");
    const pulseMs = (60000 / tempo) * (4 / denominator); // one metronome click per beat of the meter
    const barMs = pulseMs * numerator;
    const countIn = model.get("count_in");
    take = {
      tempo, numerator, pulseMs, barMs, bars: model.get("bars"),
      t0: performance.now() + countIn * barMs, endMs: model.get("bars") * barMs,
      nextPulse: -countIn * numerator, barsSent: 0, timer: null,
    };
    for (const note of held.values()) note.startMs = null; // keys already down are not part of the take
    update({ notes: [], state: countIn > 0 ? "count-in" : "recording" });
    take.timer = setInterval(tick, TICK_MS);
    tick();
    showSettings();
  }

  function tick() {
    const t = performance.now() - take.t0;
    if (t >= take.endMs) return stopTake();
    while (take.nextPulse * take.pulseMs <= t + LOOKAHEAD_MS) {
      const pulse = take.nextPulse++;
      if (pulse * take.pulseMs >= take.endMs) break;
      if (pulse < 0 || model.get("metronome")) sound.click(pulse * take.pulseMs - t, pulse % take.numerator === 0);
    }
    if (t >= 0 && model.get("state") !== "recording") update({ state: "recording" });
    sendFinishedBars(t);
    showStatus();
    draw();
  }

  function sendFinishedBars(t) {
    while (take.barsSent < take.bars && (take.barsSent + 1) * take.barMs <= t) {
      model.send({ type: "bar", bar: take.barsSent++ });
    }
  }

  function stopTake() {
    if (!take) return;
    const t = Math.min(performance.now() - take.t0, take.endMs);
    for (const [pitch, note] of held) {
      if (note.startMs !== null) record(pitch, note, t);
      note.startMs = null; // still sounding, no longer recorded
    }
    clearInterval(take.timer);
    sendFinishedBars(t);
    if (t > take.barsSent * take.barMs) model.send({ type: "bar", bar: take.barsSent }); // the bar cut short
    take = null;
    update({ state: "stopped" });
    showSettings();
    showStatus();
    draw();
  }

  const toggleTake = () => (take ? stopTake() : startTake());

  function playBack() {
    if (take) return;
    stopPlayback();
    const notes = model.get("notes");
    if (notes.length === 0) return;
    const tempo = model.get("tempo");
    const seconds = (beats) => (beats * 60) / tempo;
    for (const note of notes) sound.note(note.pitch, note.velocity, seconds(note.start), seconds(note.end - note.start));
    const endBeat = Math.max(...notes.map((note) => note.end));
    playback = { startMs: performance.now(), tempo, timer: setTimeout(stopPlayback, seconds(endBeat) * 1000 + 300) };
    animate();
  }

  function stopPlayback() {
    if (!playback) return;
    clearTimeout(playback.timer);
    playback = null;
    if (sound.ctx) { // silence what was scheduled
      sound.master.disconnect();
      sound.master = sound.ctx.createGain();
      sound.master.gain.value = 0.5;
      sound.master.connect(sound.ctx.destination);
      sound.voices.clear();
    }
    showStatus();
    draw();
  }

  const stopAll = () => { stopTake(); stopPlayback(); };

  function animate() {
    cancelAnimationFrame(frame);
    draw();
    if (playback) frame = requestAnimationFrame(animate);
  }

  // --- computer keyboard, while the widget has focus ---
  function shiftOctave(step) {
    update({ octave: clamp(model.get("octave") + step, 0, 7) });
  }

  listen(root, "keydown", (event) => {
    if (event.target.matches("input, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    const offset = COMPUTER_KEYS[event.code];
    const handled = offset !== undefined || Object.values(CONTROL_KEYS).includes(event.code);
    if (!handled) return;
    event.preventDefault();
    event.stopPropagation(); // JupyterLab's own shortcuts (A, B, D D, ...) must not fire
    if (event.repeat) return;
    if (offset !== undefined) {
      const pitch = lowestPitch() + offset;
      keysDown.set(event.code, pitch);
      noteOn(pitch, model.get("velocity"));
    } else if (event.code === CONTROL_KEYS.octaveDown) shiftOctave(-1);
    else if (event.code === CONTROL_KEYS.octaveUp) shiftOctave(1);
    else if (event.code === CONTROL_KEYS.softer) update({ velocity: clamp(model.get("velocity") - 10, 1, 127) });
    else if (event.code === CONTROL_KEYS.louder) update({ velocity: clamp(model.get("velocity") + 10, 1, 127) });
    else if (event.code === CONTROL_KEYS.record) toggleTake();
  });
  listen(root, "keyup", (event) => {
    if (!keysDown.has(event.code)) return;
    event.preventDefault();
    event.stopPropagation();
    noteOff(keysDown.get(event.code));
    keysDown.delete(event.code);
  });
  listen(root, "focusout", (event) => { // focus left the widget: release every computer key
    if (root.contains(event.relatedTarget)) return;
    for (const pitch of keysDown.values()) noteOff(pitch);
    keysDown.clear();
  });

  // --- settings typed in the toolbar go to the model (and so to Python) ---
  const numberFrom = (input, low, high, fallback) => {
    const value = Number(input.value);
    return Number.isFinite(value) ? clamp(Math.round(value), low, high) : fallback;
  };
  listen(tempoInput, "change", () => update({ tempo: numberFrom(tempoInput, 20, 400, model.get("tempo")) }));
  listen(barsInput, "change", () => update({ bars: numberFrom(barsInput, 1, 64, model.get("bars")) }));
  listen(meterSelect, "change", () => {
    const [numerator, denominator] = meterSelect.value.split("/").map(Number);
    update({ numerator, denominator });
  });
  listen(countInSelect, "change", () => update({ count_in: Number(countInSelect.value) }));
  listen(metronomeBox, "change", () => update({ metronome: metronomeBox.checked }));
  listen(velocityInput, "input", () => update({ velocity: Number(velocityInput.value) }));
  onModel("tempo numerator denominator bars count_in metronome velocity octave", () => { showSettings(); draw(); });
  onModel("notes grid", () => { showStatus(); draw(); });

  // --- a hardware keyboard through Web MIDI ---
  function showMidi(text, kind) {
    midiStatus.textContent = text;
    midiStatus.dataset.kind = kind;
    if (model.get("midi_status") !== text) update({ midi_status: text });
  }

  function onMidiMessage(message) {
    const [statusByte, pitch, velocity] = message.data;
    const kind = statusByte & 0xf0;
    if (kind === 0x90 && velocity > 0) noteOn(pitch, velocity);
    else if (kind === 0x80 || kind === 0x90) noteOff(pitch); // note-on with velocity 0 is a note-off
  }

  async function connectMidi() {
    if (typeof navigator === "undefined" || !navigator.requestMIDIAccess) {
      showMidi("No Web MIDI in this browser (Chrome and Edge have it; Firefox asks; Safari has none): "
        + "play the on-screen keys or your computer keys.", "none");
      return null;
    }
    let access;
    try {
      access = await navigator.requestMIDIAccess();
    } catch (error) {
      const refused = ["NotAllowedError", "SecurityError"].includes(error.name);
      showMidi(`${refused ? "Web MIDI was not allowed" : "Web MIDI could not start"} (${error.message || error.name}): `
        + "play the on-screen keys or your computer keys.", "denied");
      return null;
    }
    const attach = () => {
      const names = [];
      for (const input of access.inputs.values()) {
        input.onmidimessage = onMidiMessage;
        names.push(input.name);
      }
      if (names.length) showMidi(`MIDI keyboard: ${names.join(", ")}`, "ready");
      else showMidi("Web MIDI is ready but no MIDI keyboard is connected: plug one in, it is picked up at once.", "empty");
    };
    attach();
    access.onstatechange = attach;
    return access;
  }

  // --- the live pianoroll ---
  function draw() {
    const ratio = globalThis.devicePixelRatio || 1;
    const width = canvas.clientWidth || 640;
    const height = canvas.clientHeight || 170;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    const g = canvas.getContext("2d");
    if (!g) return;
    g.setTransform(ratio, 0, 0, ratio, 0, 0);

    const notes = model.get("notes");
    const tempo = take ? take.tempo : model.get("tempo");
    const now = take ? (performance.now() - take.t0) : null;
    const live = [...held].filter(([, note]) => take && note.startMs !== null)
      .map(([pitch, note]) => ({ pitch, velocity: note.velocity, start: (note.startMs * tempo) / 60000, end: (now * tempo) / 60000 }));
    const all = [...notes, ...live];
    const pitches = all.map((note) => note.pitch);
    const low = Math.min(lowestPitch(), ...pitches) - 1;
    const high = Math.max(lowestPitch() + KEYS_ON_SCREEN - 1, ...pitches) + 1;
    const bar = barBeats();
    const totalBeats = Math.max(model.get("bars") * bar, ...all.map((note) => note.end));
    const gutter = 34;
    const x = (beat) => gutter + (beat / totalBeats) * (width - gutter - 4);
    const rowHeight = height / (high - low + 1);
    const y = (pitch) => (high - pitch) * rowHeight;

    g.fillStyle = "#fbfbfd";
    g.fillRect(0, 0, width, height);
    for (let pitch = low; pitch <= high; pitch++) { // black-key rows shaded, C rows labelled
      if (BLACK.has(pitch % 12)) { g.fillStyle = "#eef0f5"; g.fillRect(gutter, y(pitch), width, rowHeight); }
      if (pitch % 12 === 0) {
        g.fillStyle = "#6b7280";
        g.font = "10px sans-serif";
        g.fillText(noteName(pitch), 3, y(pitch) + rowHeight - 1);
        g.fillStyle = "#d9dce3";
        g.fillRect(gutter, y(pitch) + rowHeight - 0.5, width, 0.5);
      }
    }
    const steps = Math.round(totalBeats * model.get("grid"));
    for (let step = 0; step <= steps; step++) { // grid steps faint, beats darker, bar lines darkest
      const beat = step / model.get("grid");
      const isBar = Math.abs(beat / bar - Math.round(beat / bar)) < 1e-6;
      const isBeat = Math.abs(beat - Math.round(beat)) < 1e-6;
      g.fillStyle = isBar ? "#9aa1ad" : isBeat ? "#cfd3db" : "#e8eaef";
      g.fillRect(Math.round(x(beat)), 0, isBar ? 1.2 : 0.8, height);
      if (isBar && beat < totalBeats) {
        g.fillStyle = "#6b7280";
        g.font = "10px sans-serif";
        g.fillText(String(Math.round(beat / bar) + 1), x(beat) + 3, 10);
      }
    }
    for (const note of all) {
      const lightness = 62 - (note.velocity / 127) * 24;
      g.fillStyle = `hsl(${live.includes(note) ? 12 : 222}, 72%, ${lightness}%)`;
      if (note.end <= 0) continue; // played during the count-in
      const left = x(Math.max(0, note.start));
      g.fillRect(left, y(note.pitch) + 0.5, Math.max(2, x(note.end) - left - 1), Math.max(2, rowHeight - 1));
    }
    const head = take ? (now * tempo) / 60000 : playback ? ((performance.now() - playback.startMs) * playback.tempo) / 60000 : null;
    if (head !== null && head >= 0) {
      g.fillStyle = take ? "#dc2626" : "#16a34a";
      g.fillRect(x(Math.min(head, totalBeats)), 0, 2, height);
    }
  }

  showSettings();
  showStatus();
  draw();
  const connecting = connectMidi();
  const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(() => draw());
  if (resize) resize.observe(canvas);

  return () => { // the view is removed: stop clocks, let go of MIDI and audio
    if (take) clearInterval(take.timer);
    if (playback) clearTimeout(playback.timer);
    cancelAnimationFrame(frame);
    if (resize) resize.disconnect();
    listeners.forEach((remove) => remove());
    connecting.then((access) => {
      if (!access) return;
      access.onstatechange = null;
      for (const input of access.inputs.values()) input.onmidimessage = null;
    });
    sound.close();
  };
}

export default { render };
