"""Raw article text to tables: decoding, parsing (lines, infobox, sections, checks) and cleaning with an offset map."""
