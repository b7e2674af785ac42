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

// --- Offers ------------------------------------------------------------------------------------
// Hand-written from the offers contract until the OpenAPI document has them; each will become
// `Schemas["…Out"]`/`Schemas["…In"]` (e.g. `export type Offer = Schemas["OfferOut"]`).
/** Money: a decimal string in the offer's currency ("12.50"); percent: a decimal string of percent ("7.5"). */
export type OfferModel = "CPA" | "CPL" | "CPS" | "RevShare";
export type OfferStatus = "active" | "paused" | "archived";
export type OfferVisibility = "public" | "approval" | "private";
export type GeoMode = "all" | "allow" | "deny";
export type AmountType = "fixed" | "percent";
export type OfferGoal = { key: string; name: string; payout_type: AmountType; payout: string; revenue_type: AmountType; revenue: string };
export type OfferLanding = { url: string; weight: number };
export type CapMetric = "clicks" | "conversions" | "payout";
export type CapPeriod = "day" | "month" | "total";
/** `limit`: an integer count for clicks and conversions, a money string for payout. */
export type OfferCap = { metric: CapMetric; period: CapPeriod; limit: string };
export type Offer = {
  id: string;
  advertiser_id: string;
  name: string;
  description: string;
  model: OfferModel;
  currency: string;
  goals: OfferGoal[];
  landings: OfferLanding[];
  geo_mode: GeoMode;
  geo_countries: string[];
  caps: OfferCap[];
  visibility: OfferVisibility;
  status: OfferStatus;
  hold_days: number;
  attribution_days: number;
  fallback_url: string | null;
  postback_secret: string;
  created_at: string;
  updated_at: string;
};
export type OfferList = { items: Offer[] };
export type OfferCreate = Omit<Offer, "id" | "advertiser_id" | "status" | "postback_secret" | "created_at" | "updated_at">;
export type OfferUpdate = Partial<OfferCreate> & { status?: OfferStatus };
export type OfferAccessState = "approved" | "requested" | "rejected" | "none";
export type OfferAccess = {
  affiliate_id: string;
  affiliate_name: string;
  affiliate_email: string;
  access: OfferAccessState;
  /** Per-affiliate payout overrides by goal key, of the same type as the goal's payout. */
  payouts: Record<string, string>;
  caps: OfferCap[];
};
export type OfferAccessList = { items: OfferAccess[] };
export type OfferAccessUpdate = { access?: "approved" | "rejected"; payouts?: Record<string, string>; caps?: OfferCap[] };
export type AffiliateOfferAccess = "open" | "approved" | "requested" | "rejected" | "none";
export type AffiliateOffer = {
  id: string;
  name: string;
  description: string;
  model: OfferModel;
  currency: string;
  goals: Pick<OfferGoal, "key" | "name" | "payout_type" | "payout">[];
  visibility: OfferVisibility;
  access: AffiliateOfferAccess;
  /** "<origin>/click?o=<id>&a=<affiliate id>" when the affiliate may run the offer, else null. */
  tracking_link: string | null;
};
export type AffiliateOfferList = { items: AffiliateOffer[] };
// --- end of offers -------------------------------------------------------------------------------
