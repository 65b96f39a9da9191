"""Coaching plans: seasons and their phases, practice plans with timed drills, development goals."""
