"""Running the platform: feature flags, organization settings and the health of every service."""
