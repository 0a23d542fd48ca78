"""Which styles the style model thinks alike, and the blend of them that style contrast pushes away from.

Lesson: lessons/07_style_transfer.ipynb (the map of styles, and "more Irish than Irish"). Used by
`transfer/style_transfer.py`; the push itself is `BarStream._guided` in `transfer/transferer.py`.

Every style is a vector the model learned (`models/style_melody.py`). What the GRU actually receives is that
vector times its input matrix (`NumpyStep` folds them together), so two styles whose folded vectors point
the same way (cosine similarity, after taking away the average of all styles) make the model write alike.
Nobody told the model that German and other European folk songs are cousins, or that Irish, fiddle and
Scottish tunes share dance rhythms: it finds that out from the notes, and `style_similarity` shows it.

A transfer into style S is made more *S* by comparing, at every choice, what S would do with what the
styles nearest to S would do, and leaning towards the difference. `contrast_blend` is that comparison
point: the other styles, each weighted by exp(similarity / `NEIGHBOUR_TEMPERATURE`), so the cousins
count most but every other style counts a little. The blend is *one* style vector, a weighted average of
theirs, that the model then reads like any style: not an average of what each neighbour would predict
(that would take one run of the model per style; a blended vector takes one).
"""

from __future__ import annotations

import numpy as np

from .numpy_step import NumpyStep

NEIGHBOUR_TEMPERATURE = 0.3  # smaller: only the nearest style counts; larger: all other styles count alike


def style_similarity(step: NumpyStep, style_count: int) -> np.ndarray:
    """(styles, styles) cosine similarities of the first `style_count` styles, as the model's GRU sees them."""
    folded = step.input_tables[-1][:style_count]
    centred = folded - folded.mean(axis=0)
    unit = centred / np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-12)
    return unit @ unit.T


def contrast_weights(similarity: np.ndarray, target: int) -> np.ndarray:
    """How much each style counts in the blend `target` is contrasted with: the others, nearest most."""
    weights = np.exp((similarity[target] - similarity[target].max()) / NEIGHBOUR_TEMPERATURE)
    weights[target] = 0.0
    return weights / weights.sum()


def contrast_blend(step: NumpyStep, style_count: int, target: int) -> np.ndarray:
    """The first GRU layer's input for the blend of styles near `target` (a row for `NumpyStep.read`)."""
    if style_count < 2:
        return step.input_tables[-1][target]  # one style only: contrasting it with itself changes nothing
    weights = contrast_weights(style_similarity(step, style_count), target)
    return weights @ step.input_tables[-1][:style_count]
