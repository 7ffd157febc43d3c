"""In-app notifications: the list, marking read, the unread count in the header."""
