"""Style transfer: the learner's melody in another style, measured by a style classifier (issue 11, lesson 07).

    from deepcomposer_edu.transfer.style_transfer import style_transfer
    from deepcomposer_edu.transfer.live import LiveTransfer
    jig = style_transfer(theme, "irish")                       # a Song: the theme as an arranged jig
    live = LiveTransfer(keyboard_recorder, "chorale")          # each bar played comes back as a chorale bar

Or through the service: `deepcomposer_edu.client().style_transfer(theme, "irish", output="jig.mp3")`.
How it works and how well: docs/style_transfer.md.
"""
