"""The signposting directory: organisations, services, groups, meetings and places."""
