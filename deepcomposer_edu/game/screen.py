"""The pygame side of the demo: reading the keyboard (or a script), drawing a frame, playing each bar.

Lesson: lessons/08_mood_and_adaptive_music.ipynb. The game's rules are in `demo.py`; this file only talks to pygame.

The speaker renders each bar with `audio.render` as soon as the engine writes it and queues it on one
mixer channel. A bar's sound rings on after its last beat (the notes' release); that tail is carried over
and mixed into the start of the next bar instead of being cut off, so bar lines make no clicks.
"""

from __future__ import annotations

import numpy as np

from ..mood.arrange import bars_to_song

SAMPLE_RATE = 22050
BACKGROUND, PLAYER, TEXT = (18, 22, 38), (240, 200, 80), (230, 230, 230)
KEYS = {"left": "K_LEFT", "right": "K_RIGHT", "up": "K_UP", "down": "K_DOWN", "fight": "K_SPACE"}


class Screen:
    """A window (or SDL's dummy one) showing the player, the intensity bar and what the music is doing."""

    def __init__(self, pygame):
        from .demo import SIZE

        self.pygame = pygame
        self.surface = pygame.display.set_mode(SIZE)
        pygame.display.set_caption("deepcomposer-edu: the music follows you")
        self.font = pygame.font.Font(None, 22)

    def read_input(self, plan, frame: int) -> tuple[set[str], bool]:
        """(actions this frame, whether the player asked to quit): from the script if there is one."""
        from .demo import scripted_actions

        pygame = self.pygame
        quit_asked = any(event.type == pygame.QUIT or (event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE)
                         for event in pygame.event.get())
        if plan is not None:
            return scripted_actions(plan, frame), quit_asked
        pressed = pygame.key.get_pressed()
        return {action for action, key in KEYS.items() if pressed[getattr(pygame, key)]}, quit_asked

    def draw(self, state, last_bar: dict | None) -> None:
        pygame, surface = self.pygame, self.surface
        surface.fill(BACKGROUND)
        glow = int(40 + 200 * state.intensity)
        centre = (int(state.x), int(state.y))
        pygame.draw.circle(surface, (glow, 60, 255 - glow), centre, int(10 + 14 * state.intensity))
        pygame.draw.circle(surface, PLAYER, centre, 8)
        pygame.draw.rect(surface, (200, 60, 60), (10, 10, int(200 * state.intensity), 12))
        pygame.draw.rect(surface, TEXT, (10, 10, 200, 12), 1)
        text = f"intensity {state.intensity:.2f}"
        if last_bar is not None:
            text += f"   bar {last_bar['bar']}   mood {last_bar['intensity']:.2f}"
        surface.blit(self.font.render(text, True, TEXT), (10, 28))
        help_line = self.font.render("arrows: move   SPACE: fight   Esc: quit", True, TEXT)
        surface.blit(help_line, (10, surface.get_height() - 22))
        pygame.display.flip()


class Speaker:
    """Plays bars one after another on a mixer channel (silent when disabled or when there is no sound card)."""

    def __init__(self, pygame, enabled: bool = True):
        self.pygame, self.channel, self.carry = pygame, None, np.zeros(0, dtype=np.float32)
        if not enabled:
            return
        try:
            pygame.mixer.quit()  # pygame.init() may have opened it with other settings
            pygame.mixer.init(frequency=SAMPLE_RATE, size=-16, channels=1)
            self.channel = pygame.mixer.Channel(0)
        except pygame.error:
            self.channel = None  # no audio device: the game still runs, silently

    def queue(self, engine, bar) -> None:
        if self.channel is None:
            return
        from ..audio import render
        from .demo import bar_seconds

        song = bars_to_song([bar], engine.time_signature, bar.settings.programs)
        rate, _, channels = self.pygame.mixer.get_init()  # the device may not grant what was asked for
        audio = render(song, rate)  # [samples], the bar plus its ringing tail
        length = round(bar_seconds(bar) * rate)
        audio = np.pad(audio, (0, max(0, length - len(audio), len(self.carry) - len(audio))))
        audio[: len(self.carry)] += self.carry
        chunk, self.carry = audio[:length], audio[length:]
        pcm = (np.clip(chunk, -1.0, 1.0) * 32767).astype(np.int16)
        sound = self.pygame.sndarray.make_sound(np.repeat(pcm[:, None], channels, axis=1) if channels > 1 else pcm)
        if self.channel.get_busy():
            self.channel.queue(sound)
        else:
            self.channel.play(sound)
