"""Test helpers: real leads, campaigns and sample files put into a test database, and the crash child."""
