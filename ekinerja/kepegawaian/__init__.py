"""Organisation and people (kepegawaian): units, positions, employees, superiors, import."""
