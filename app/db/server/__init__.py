"""The team server's schema: LeadDesk's models on PostgreSQL, plus what sync needs."""
