"""Health data: injuries, treatments and training restrictions, and the availability derived from them."""
