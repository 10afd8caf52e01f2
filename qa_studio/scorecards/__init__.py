"""scorecards package."""
