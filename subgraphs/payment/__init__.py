"""Billing: plans, the clubs' customers and subscriptions, invoices."""
