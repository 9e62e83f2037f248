"""Offline code suggestions, measured like a coder.

The suggester learns, per code, which units (sentences, turns or paragraphs: the stored
segments) a coder codes with it, from word and character n-grams (tf-idf) and a linear model
(scikit-learn). Everything runs on this machine: no model is downloaded, nothing is sent
anywhere. It never codes by itself: a coder accepts or rejects each suggestion.

Before a code is offered, its held-out precision is measured by leave-documents-out
cross-validation (no unit of a test document is ever in training), and the suggester is
scored as a coder with the agreement engine (Krippendorff's alpha beside the humans').

Modules: :mod:`.vectors` (the text features), :mod:`.examples` (what it learns from),
:mod:`.evaluate` (folds and held-out figures), :mod:`.as_coder` (its alpha), :mod:`.train`
(a training run), :mod:`.suggestions` (listing, accepting, rejecting) and :mod:`.similar`
(more like this). The project keeps no model object, only data (see
:class:`qualcode.store.models.SuggestionModel`).
"""
