"""The critic: key points, alignment features, the rubric scorer, story parts, narrative."""
