"""Conversations and messages between the club's people, and each person's notifications."""
