"""The Federation 2 specifications as this project reads and writes them."""
