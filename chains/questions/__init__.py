"""Which question next and how it is worded: the planner, offline wording, model answers."""
