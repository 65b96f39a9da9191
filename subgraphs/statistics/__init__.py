"""Game statistics: games and their scores, skater and goalie stat lines, season aggregates."""
