"""Raw text → structure and quantities: layout, sentences with offsets, the numeral parser."""
