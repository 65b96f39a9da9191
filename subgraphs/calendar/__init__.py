"""Club calendar: events, bookable resources (rinks, rooms, buses), attendees and conflict detection."""
