"""Who the caller is (bearer tokens verified against the user service's key set) and what they may see."""
