"""Queries and mutations of Web Push devices (merged into the service's root types)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from shared.graphql import Ctx, actor, mutation, parse_id, requires_sign_in, to_id
from subgraphs.communication import push, push_delivery
from subgraphs.communication.types.push import PushDevice


@strawberry.input(description="A browser's push subscription (PushSubscription.toJSON() in the browser).")
class RegisterPushDeviceInput:
    endpoint: str = strawberry.field(description="The push service's https address for the subscription.")
    p256dh: str = strawberry.field(description="keys.p256dh: the device's P-256 public key, base64url (65 bytes).")
    auth: str = strawberry.field(description="keys.auth: the device's authentication secret, base64url (16 bytes).")
    label: str | None = strawberry.field(default=None, description="A name for the device, up to 100 characters.")


@strawberry.type
class PushQuery:
    @strawberry.field(
        description="The public VAPID key (base64url) a browser subscribes with (applicationServerKey); null "
        "when this deployment sends no pushes.",
        extensions=[requires_sign_in()],
    )
    def push_public_key(self, info: Ctx) -> str | None:
        key = push_delivery.vapid_key(info.context.runtime.settings)
        return key.public_key if key is not None else None

    @strawberry.field(description="The caller's devices that receive pushes.", extensions=[requires_sign_in()])
    async def my_push_devices(self, info: Ctx) -> list[PushDevice]:
        rows = await push.my_devices(info.context.session, actor(info))
        return [PushDevice.from_row(row) for row in rows]


@strawberry.type
class PushMutation:
    @mutation(
        description="Register (or renew) a browser or phone to receive the caller's notifications as pushes, "
        "as their notification preferences say (PUSH channel).",
        audit_input=False,
    )
    async def register_push_device(self, info: Ctx, input: RegisterPushDeviceInput) -> PushDevice:
        row = await push.register_device(
            info.context.session,
            actor(info),
            endpoint=input.endpoint,
            p256dh=input.p256dh,
            auth=input.auth,
            label=input.label,
            allow_local=push_delivery.allows_local_endpoints(info.context.runtime.settings),
        )
        return PushDevice.from_row(row)

    @mutation(description="Stop pushing to one of the caller's devices; its id.")
    async def remove_push_device(
        self, info: Ctx, id: Annotated[strawberry.ID, strawberry.argument(description="The device.")]
    ) -> strawberry.ID:
        removed = await push.remove_device(info.context.session, actor(info), device_id=parse_id(id))
        return to_id(removed)
