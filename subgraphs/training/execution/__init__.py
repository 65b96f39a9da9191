"""What players actually did: the sets of a completed workout, their history and their progression."""
