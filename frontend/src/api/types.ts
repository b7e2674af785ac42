import type { components } from "@/api/schema";

/** The API's types, named once here so a rename in the generated schema is fixed in one place. */
type Schemas = components["schemas"];
export type User = Schemas["UserOut"];
export type Role = User["role"];
export type UserStatus = User["status"];
export type Locale = User["locale"];
export type Session = Schemas["SessionOut"];
export type SessionContext = Schemas["ContextOut"];
export type Membership = Schemas["MembershipOut"];
export type MembershipStatus = Membership["status"];
export type RegistrationLink = Schemas["LinkOut"];
export type ApiKey = Schemas["ApiKeyOut"];
export type AuditEntry = Schemas["AuditOut"];
export type Advertiser = Schemas["AdvertiserOut"];
export type StatsReport = Schemas["StatsReportOut"];
export type StatsRow = Schemas["StatsRowOut"];
/** The closed set of error codes of the API's error envelope (layers/…/common/errors.py). */
export type ErrorCode =
  | "validation_error"
  | "unauthenticated"
  | "invalid_credentials"
  | "token_expired"
  | "email_not_verified"
  | "account_blocked"
  | "rate_limited"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "ip_not_allowed"
  | "invalid_secret"
  | "click_not_found"
  | "click_expired"
  | "internal_error";
