"""Style transfer: the learner's melody in another style, measured by a style classifier (issue 11, lesson 07)."""
