"""Players' medical restrictions as training sees them, and the workouts they forbid.

The medical service's events (`consumers.py`) keep a copy of each player's restrictions, without any
diagnosis or note; `rules.py` decides which workouts a restriction forbids; `service.py` flags players'
open workouts and refuses new assignments that conflict unless the trainer overrides.
"""
