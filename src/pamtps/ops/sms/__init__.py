"""Structured SMS: the officer's and the liaison's reports by text message, for TPS with no data.

``syntax`` reads a message into a command, ``gateway`` checks the gateway's signature and reads its
webhook, ``inbound`` applies a command through the same ops functions the API calls, ``senders``
registers the numbers, ``codes`` makes the short check-in code printed on the SMS card.
"""
