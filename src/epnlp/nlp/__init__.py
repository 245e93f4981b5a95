"""The NLP pass: spaCy over the clean paragraphs, the entity layer (names, cast, aliases, linking) and the runners."""
