"""Accuracy against gold: entities, characters and reviews on the development corpus."""
