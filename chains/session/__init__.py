"""One practice session: the LangGraph graph and state, the Coach facade, checkpoints."""
