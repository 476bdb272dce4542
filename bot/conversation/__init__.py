"""The conversation: what the bot remembers between messages, what it decides
to do and say next, and the words it says them with. No database, no channel."""
