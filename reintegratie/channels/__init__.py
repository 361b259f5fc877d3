"""The input channels ``credentials.yml`` names, and what they share (inbound checks, rate limits,
the reply when the action server is down)."""
