"""Matching: the bridge between rows and the matcher (talentpool/matching), its stored text
index, match plans, file mode, inviting a planned pair, and the outcomes it learns from."""
