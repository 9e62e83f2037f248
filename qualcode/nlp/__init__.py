"""spaCy pipelines built from ``spacy.blank("en")`` with rule components only."""
