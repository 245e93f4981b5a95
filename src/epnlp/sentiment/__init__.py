"""Sentence sentiment: VADER, the TF-IDF ridge model, the blend and its rules; training, storing, evaluating."""
