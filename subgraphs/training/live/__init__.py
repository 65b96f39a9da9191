"""Live training sessions: a trainer leads a workout now, players report progress, screens follow it live."""
