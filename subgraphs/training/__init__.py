"""Off-ice training: the exercise library, workouts and templates, and workouts assigned to players."""
