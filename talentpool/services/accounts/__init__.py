"""Accounts: users, invitations and their links, passwords, login throttling."""
