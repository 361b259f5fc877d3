"""The tracker store and lock store ``endpoints.yml`` names, configured by URL from the environment."""
