"""What the notebooks share: derivations with rounding bounds, prose rendered from data, labels."""
