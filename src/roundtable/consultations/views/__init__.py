"""Pages of the consultations app, one module per audience and concern."""
