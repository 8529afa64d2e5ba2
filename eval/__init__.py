"""Measuring how well Steunwijzer understands people (``make eval``, issue 6).

- :mod:`eval.data`: the held-out set (``tests/nlu/heldout_<lang>.yml``) and the training examples;
- :mod:`eval.metrics`: accuracy, macro-F1, precision/recall and confusion matrices (no sklearn);
- :mod:`eval.cv`: Rasa's cross-validation per language;
- :mod:`eval.lookups`: keeps ``nlu_data/lookups/`` in sync with the directory's gazetteer;
- :mod:`eval.run`: the command that ties it together and writes ``docs/quality.md``.
"""
