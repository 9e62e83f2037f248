"""Pseudonymised share packages: a list of identifiers found in the project, reviewed by a
person, and a temporary copy of the project with every accepted identifier replaced by its
pseudonym and every coding moved to its new place. The project's own text never changes."""
