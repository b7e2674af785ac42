"""Request and response bodies of /api/auth/*, /api/me* and /api/join/* (the shared ones, users and
sessions, are in routes.schemas)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class SignupIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    name: str = Field(max_length=120)
    company_name: str = Field(max_length=120)
    locale: Literal["en", "ru"] = "en"


class TokenIn(BaseModel):
    token: str = Field(max_length=200)


class EmailIn(BaseModel):
    email: str = Field(max_length=254)


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)


class MfaLoginIn(BaseModel):
    mfa_token: str = Field(max_length=2000)
    code: str = Field(max_length=20)


class ResetIn(BaseModel):
    token: str = Field(max_length=200)
    password: str = Field(max_length=128)


class InviteAcceptIn(BaseModel):
    token: str = Field(max_length=200)
    name: str = Field(max_length=120)
    password: str = Field(max_length=128)


class JoinInfoOut(BaseModel):
    advertiser_name: str
    label: str


class JoinSignupIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=128)
    name: str = Field(max_length=120)
    locale: Literal["en", "ru"] = "en"


class ProfileIn(BaseModel):
    name: str | None = Field(default=None, max_length=120)
    locale: Literal["en", "ru"] | None = None


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class ContextIn(BaseModel):
    advertiser_id: str = Field(max_length=40)


class MfaSetupOut(BaseModel):
    secret: str
    otpauth_uri: str


class MfaEnableIn(BaseModel):
    password: str = Field(max_length=128)
    code: str = Field(max_length=20)


class MfaDisableIn(BaseModel):
    password: str = Field(max_length=128)
    code: str = Field(max_length=20)


class RecoveryCodesOut(BaseModel):
    recovery_codes: list[str]
