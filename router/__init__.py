"""Hockey Hub's federation router and the composition that feeds it; it knows no subgraph's code."""
