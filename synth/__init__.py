"""Synthetic corpora that know their answers: realistic documents recombined
from the bundled forms, with an answer key of every form (``jixiao synth``)."""
