"""Accounts and sign-in of the user service: passwords, invitations, sessions and their refresh tokens,
password resets and failed-login throttling. The access tokens themselves are signed by
`info.context.runtime.issuer`; the keys and the JWKS route live in `shared.auth` and `shared.app`."""
