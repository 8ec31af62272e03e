"""Values every part shares: problems and errors, output files, URLs, time parsing, typo hints."""
