"""The course's models, one readable file each: tensors in, tensors out, nothing of files or Songs.

- `markov.py`: an order-n Markov chain over melody events, the n-gram baseline (lesson 04);
- `gan.py`: a MuseGAN-style pianoroll GAN trained with WGAN-GP (lesson 03);
- `transformer.py`: a small Music Transformer with relative attention (lesson 04).

`deepcomposer_edu/composers.py` turns Songs into their tensors and back; `deepcomposer_edu/registry.py`
saves and loads their weights as safetensors. Submodules are imported on use: `import
deepcomposer_edu.models.gan`.
"""
