"""Traffic control at the router: what a request must pass before the engine spends anything on it.

In request order: CORS and CSRF for browsers (`cors_csrf`), the body size (`request_body`), persisted
documents (`persisted`), operation limits before validation and planning (`limits`, `measure`, `cost`), then
rate limits per user or client address, counted in requests and in estimated cost (`rate_limit`,
`client_ip`); `control` ties them to one router app.
"""
