"""Pages made from the read model for people: the interactive subgraph (:mod:`.graph_page`)."""
