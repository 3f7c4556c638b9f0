"""How well the critic and the questions do: `coach eval critic`, `coach eval questions`."""
