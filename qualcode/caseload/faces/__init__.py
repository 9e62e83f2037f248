"""The stated caseload share's faces: the ``caseload`` commands, the review screen, the panel."""
