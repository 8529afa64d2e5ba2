"""Anonymous meeting reminders, change notices, calendars (.ics) and the public feed."""
