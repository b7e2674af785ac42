"""/api/auth/*, /api/me*, /api/join/*: signing up, signing in, sessions and one's own account."""

from __future__ import annotations

from typing import Annotated

from auth import actor_of, current, site_of
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body
from composition.accounts import accounts, workspace

from partnerka.accounts.permissions import Permission, permissions_of, require
from partnerka.accounts.service import MfaChallenge
from routes.account_schemas import (
    ContextIn,
    EmailIn,
    InviteAcceptIn,
    JoinInfoOut,
    JoinSignupIn,
    LoginIn,
    MfaDisableIn,
    MfaEnableIn,
    MfaLoginIn,
    MfaSetupOut,
    PasswordChangeIn,
    ProfileIn,
    RecoveryCodesOut,
    ResetIn,
    SignupIn,
    TokenIn,
)
from routes.responses import NoContent, created, no_content
from routes.schemas import (
    ContextOut,
    MembershipOut,
    MeOut,
    MfaRequiredOut,
    SessionOut,
    SuspensionOut,
    UserEnvelope,
    UserOut,
)
from routes.session_cookies import ended, presented_refresh_token, required_refresh_token, session_response

router = Router()  # type: ignore[no-untyped-call]


# ---------------------------------------------------------------------- public
@router.post("/auth/signup", summary="Sign up as an advertiser (a new workspace)", responses={201: {}})
def signup(body: Annotated[SignupIn, Body()]) -> Response[UserEnvelope]:
    user = accounts().signup_advertiser(
        body.email,
        body.password,
        body.name,
        body.company_name,
        body.locale,
        actor_of(router.current_event),
        site_of(router.current_event),
    )
    return created(UserEnvelope(user=UserOut.of(user)))


@router.post("/auth/verify-email", summary="Confirm an e-mail address with the link's token")
def verify_email(body: Annotated[TokenIn, Body()]) -> UserEnvelope:
    return UserEnvelope(user=UserOut.of(accounts().verify_email(body.token, actor_of(router.current_event))))


@router.post("/auth/resend-verification", summary="Send the verification link again", responses={204: {}})
def resend_verification(body: Annotated[EmailIn, Body()]) -> NoContent:
    accounts().resend_verification(body.email, actor_of(router.current_event), site_of(router.current_event))
    return no_content()


@router.post("/auth/login", summary="Sign in; answers a session or a 2FA challenge")
def login(body: Annotated[LoginIn, Body()]) -> Response[SessionOut | MfaRequiredOut]:
    event = router.current_event
    result = accounts().login(body.email, body.password, actor_of(event), site_of(event))
    if isinstance(result, MfaChallenge):
        return Response(200, "application/json", MfaRequiredOut(mfa_token=result.mfa_token))
    return session_response(result)  # type: ignore[return-value]


@router.post("/auth/login/mfa", summary="Finish signing in with a TOTP or recovery code")
def login_mfa(body: Annotated[MfaLoginIn, Body()]) -> Response[SessionOut]:
    event = router.current_event
    return session_response(accounts().login_mfa(body.mfa_token, body.code, actor_of(event), site_of(event)))


@router.post(
    "/auth/refresh",
    summary="Rotate the refresh token (its cookie, with X-CSRF-Token) for a new session",
)
def refresh() -> Response[SessionOut]:
    event = router.current_event
    return session_response(
        accounts().refresh(required_refresh_token(event), actor_of(event), site_of(event))
    )


@router.post(
    "/auth/logout",
    summary="End the session (its whole refresh chain) and remove its cookies",
    responses={204: {}},
)
def logout() -> NoContent:
    event = router.current_event
    token = presented_refresh_token(event)
    if token is not None:
        accounts().logout(token, actor_of(event))
    return Response(status_code=204, body=None, cookies=ended())


@router.post("/auth/password/forgot", summary="E-mail a password reset link", responses={204: {}})
def forgot_password(body: Annotated[EmailIn, Body()]) -> NoContent:
    accounts().forgot_password(body.email, actor_of(router.current_event), site_of(router.current_event))
    return no_content()


@router.post("/auth/password/reset", summary="Set a new password with the link's token", responses={204: {}})
def reset_password(body: Annotated[ResetIn, Body()]) -> NoContent:
    accounts().reset_password(body.token, body.password, actor_of(router.current_event))
    return no_content()


@router.post("/auth/invite/accept", summary="Accept an invitation: set name and password, get a session")
def accept_invite(body: Annotated[InviteAcceptIn, Body()]) -> Response[SessionOut]:
    event = router.current_event
    return session_response(
        accounts().accept_invite(body.token, body.name, body.password, actor_of(event), site_of(event))
    )


@router.get("/join/<code>", summary="What a registration link joins")
def join_info(code: str) -> JoinInfoOut:
    _, name, label = workspace().join_target(code, site_of(router.current_event))
    return JoinInfoOut(advertiser_name=name, label=label)


@router.post(
    "/join/<code>/signup", summary="Sign up as an affiliate through a registration link", responses={201: {}}
)
def join_signup(code: str, body: Annotated[JoinSignupIn, Body()]) -> Response[UserEnvelope]:
    event = router.current_event
    user = workspace().join_with_signup(
        code, body.email, body.password, body.name, body.locale, actor_of(event), site_of(event)
    )
    return created(UserEnvelope(user=UserOut.of(user)))


# ---------------------------------------------------------------------- signed in
@router.post(
    "/join/<code>",
    summary="Apply to an advertiser through its link (signed-in affiliate)",
    responses={201: {}},
)
def join(code: str) -> Response[MembershipOut]:
    principal, user = current(router.current_event.headers)
    event = router.current_event
    view = workspace().join(principal, user, code, actor_of(event, user), site_of(event))
    return created(MembershipOut.of(view))


@router.get("/me", summary="The signed-in user, its context, (affiliates) its memberships and what it may do")
def me() -> MeOut:
    principal, user = current(router.current_event.headers)
    found = workspace().me(principal, user, site_of(router.current_event))
    return MeOut(
        user=UserOut.of(found.user),
        context=ContextOut(advertiser_id=found.advertiser_id, advertiser_name=found.advertiser_name),
        memberships=[MembershipOut.of(v) for v in found.memberships],
        permissions=permissions_of(principal),
        suspension=SuspensionOut.of(found.suspension),
        viewed_by=principal.viewed_by,
    )


@router.patch("/me", summary="Change one's name or language")
def update_me(body: Annotated[ProfileIn, Body()]) -> UserEnvelope:
    _, user = current(router.current_event.headers)
    updated = accounts().update_profile(user, body.name, body.locale, actor_of(router.current_event, user))
    return UserEnvelope(user=UserOut.of(updated))


@router.post("/me/password", summary="Change one's password: every other session ends, this one is renewed")
def change_password(body: Annotated[PasswordChangeIn, Body()]) -> Response[SessionOut]:
    principal, user = current(router.current_event.headers)
    session = accounts().change_password(
        principal, user, body.current_password, body.new_password, actor_of(router.current_event, user)
    )
    return session_response(session)


@router.post("/me/context", summary="Affiliate: work in one advertiser's context (a new session)")
def switch_context(body: Annotated[ContextIn, Body()]) -> Response[SessionOut]:
    principal, user = current(router.current_event.headers)
    require(principal, Permission.CONTEXT_SWITCH)
    event = router.current_event
    session = accounts().switch_context(
        principal, user, body.advertiser_id, actor_of(event, user), site_of(event)
    )
    return session_response(session)


@router.post("/me/mfa/setup", summary="Start 2FA enrolment: a TOTP secret and its otpauth URI")
def mfa_setup() -> MfaSetupOut:
    principal, user = current(router.current_event.headers)
    event = router.current_event
    secret, uri = accounts().mfa_setup(user, actor_of(event, user), principal.advertiser_id, site_of(event))
    return MfaSetupOut(secret=secret, otpauth_uri=uri)


@router.post("/me/mfa/enable", summary="Turn 2FA on (password and a code); answers ten recovery codes, once")
def mfa_enable(body: Annotated[MfaEnableIn, Body()]) -> RecoveryCodesOut:
    _, user = current(router.current_event.headers)
    codes = accounts().mfa_enable(user, body.password, body.code, actor_of(router.current_event, user))
    return RecoveryCodesOut(recovery_codes=codes)


@router.post("/me/mfa/disable", summary="Turn 2FA off (password and a code)", responses={204: {}})
def mfa_disable(body: Annotated[MfaDisableIn, Body()]) -> NoContent:
    _, user = current(router.current_event.headers)
    accounts().mfa_disable(user, body.password, body.code, actor_of(router.current_event, user))
    return no_content()
