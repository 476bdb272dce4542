"""The SMS channel: Twilio posts a client's text, we answer in TwiML.

Everything here is about SMS itself: Twilio's signature, its carrier
keywords, silence while a client is opted out, a reply rendered as a text
within two segments. The conversation it takes part in is every channel's
(handlers.conversation).
"""
