import type { components, paths } from "@/api/schema";

/** The API's types, named once here so a rename in the generated schema is fixed in one place. */
type Schemas = components["schemas"];
/** What a GET of `Path` answers: for a body whose schema name the document qualifies (two modules name one alike). */
type Answer<Path extends keyof paths> = paths[Path] extends { get: { responses: { 200: { content: { "application/json": infer Body } } } } } ? Body : never;
export type User = Schemas["UserOut"];
export type Role = User["role"];
/** What a user may do, from the API's one permission matrix (`GET /api/me` lists the caller's). */
export type Permission = Schemas["Permission"];
export type UserStatus = User["status"];
export type Locale = User["locale"];
export type Session = Schemas["SessionOut"];
export type SessionContext = Schemas["ContextOut"];
/** The signed-in user, its context, (affiliates) its memberships and its permissions: `GET /api/me`. */
export type MeOut = Schemas["MeOut"];
export type ViewAsOut = Schemas["ViewAsOut"];
export type Membership = Schemas["MembershipOut"];
export type MembershipStatus = Membership["status"];
export type RegistrationLink = Schemas["LinkOut"];
export type ApiKey = Schemas["ApiKeyOut"];
export type AuditEntry = Schemas["AuditOut"];
export type Advertiser = Schemas["AdvertiserOut"];
/** A user as the staff's list shows it: with its affiliate account's suspension everywhere, if any. */
export type StaffUser = Schemas["StaffUserOut"];
/** A suspension by the platform's staff of the account the caller works in (`GET /api/me`). */
export type Suspension = Schemas["SuspensionOut"];
/**
 * The closed set of error codes of the API's error envelope, as its OpenAPI document declares them
 * (`ErrorCode`); each has a text in en and ru among the translations' error codes (src/i18n/error-codes.test.ts checks).
 */
export type ErrorCode = Schemas["ErrorCode"];
/** The client's own codes: the server could not be reached. */
export type ClientErrorCode = "network_error";

// --- Offers ------------------------------------------------------------------------------------
// Offers, from the generated schema. Money: a decimal string in the offer's currency ("12.50");
// percent: a decimal string of percent ("7.5").
export type Offer = Schemas["OfferOut"];
export type OfferModel = Offer["model"];
export type OfferStatus = Offer["status"];
export type OfferVisibility = Offer["visibility"];
export type GeoMode = Offer["geo_mode"];
export type OfferGoal = Schemas["GoalModel"];
export type AmountType = OfferGoal["payout_type"];
export type OfferLanding = Schemas["LandingModel"];
export type OfferCap = Schemas["CapModel"];
export type CapMetric = OfferCap["metric"];
export type CapPeriod = OfferCap["period"];
export type OfferList = { items: Offer[] };
export type OfferCreate = Schemas["OfferFields"];
export type OfferUpdate = Schemas["OfferPatch"];
export type OfferAccess = Schemas["OfferAccessOut"];
export type OfferAccessState = OfferAccess["access"];
export type OfferAccessList = Schemas["OfferAccessList"];
export type OfferAccessUpdate = Schemas["AccessIn"];
export type AffiliateOffer = Schemas["AffiliateOfferOut"];
export type AffiliateOfferAccess = AffiliateOffer["access"];
export type AffiliateOfferList = Schemas["AffiliateOfferList"];
// --- end of offers -------------------------------------------------------------------------------

// --- Conversions (from the generated schema) ---------------------------------------------------
/** Money: a decimal string in the conversion's currency ("12.50"); dates: ISO-8601 UTC strings. */
export type Conversion = Schemas["ConversionOut"];
export type ConversionStatus = Conversion["status"];
export type ConversionReason = NonNullable<Conversion["reason"]>;
export type ConversionList = Schemas["ConversionList"];
export type ConversionDecision = Schemas["DecisionIn"];
export type ConversionDecisionStatus = ConversionDecision["status"];
/** The reasons an advertiser may give when rejecting. */
export type RejectionReason = NonNullable<ConversionDecision["reason"]>;
export type DecisionResult = Schemas["DecisionResultOut"];
export type ConversionDecisionOutcome = Schemas["DecisionsOut"];
/** `from`/`to`: YYYY-MM-DD (UTC days); `advertiser_id` only for platform staff. */
export type ConversionQuery = {
  from: string;
  to: string;
  status?: ConversionStatus | null;
  offer_id?: string | null;
  advertiser_id?: string | null;
};
// --- end of conversions --------------------------------------------------------------------------

// --- Fraud rules (from the generated schema) ----------------------------------------------------
/** A traffic-quality flag a fraud rule acts on. */
export type FraudFlag = NonNullable<Conversion["screening_flag"]>;
export type FraudRule = Schemas["RuleOut"];
export type FraudAction = FraudRule["action"];
/** The reasons a fraud rule may reject with. */
export type FraudReason = NonNullable<FraudRule["reason"]>;
export type FraudRules = Schemas["RulesOut"];
export type FraudRulesInput = Schemas["RulesIn"];
/** One offer's fraud rules: its overrides, the advertiser's rules beneath them, and what applies. */
export type OfferFraudRules = Schemas["OfferRulesOut"];
// --- end of fraud rules --------------------------------------------------------------------------

// --- Clicks (from the generated schema) ---------------------------------------------------------
/** One click as inspected: the request, the tracker's decision, the orchestrator's quality verdict. */
export type ClickDetail = Schemas["ClickOut"];
export type ClickQuality = ClickDetail["quality"];

// --- Postbacks and operations (from the generated schema) --------------------------------------
/** The affiliate's postback settings: a global URL with macros, per-advertiser (or offer) overrides. */
export type PostbackSettings = Schemas["PostbackSettingsOut"];
export type PostbackSettingsInput = Schemas["PostbackSettingsIn"];
export type PostbackEvent = PostbackSettings["events"][number];
export type PostbackFormat = NonNullable<PostbackSettings["format"]>;
export type PostbackOverride = Schemas["OverrideModel"];
export type PostbackTest = Schemas["TestIn"];
export type PostbackTestResult = Schemas["TestOut"];
/** One event sent to one affiliate's postback URL, with every attempt. */
export type Delivery = Schemas["DeliveryOut"];
export type DeliveryList = Schemas["DeliveryList"];
/** One job of the orchestrator's operations log (a stats batch, a notification, the run of a delivery), with its attempts. */
export type Operation = Schemas["OperationOut"];
export type OperationStatus = Operation["status"];
export type OperationAttempt = Schemas["AttemptOut"];
export type OperationList = Schemas["OperationList"];
/** What the delivery log and the operations log both show of a row: a delivery, or an operation of the monitor's. */
export type LoggedWork = Delivery | Operation;
export type OperationType = NonNullable<NonNullable<paths["/api/monitor/operations"]["get"]["parameters"]["query"]>["type"]>;
export type Monitor = Schemas["MonitorOut"];
export type MonitorQueue = Schemas["QueueOut"];
export type QueueKind = MonitorQueue["kind"];
export type FailureRate = Schemas["RateOut"];
export type FailureHour = Schemas["HourOut"];
export type QueueMessage = Schemas["MessageOut"];
export type Redrive = Schemas["RedriveOut"];

// --- Statistics, logs and exports (from the generated schema) -----------------------------------
/** A report: rows of one page, already sorted, and the totals. Money: minor units per currency. */
export type StatsReport = Schemas["StatsReportOut"];
export type StatsRow = Schemas["StatsRowOut"];
export type StatsGroup = StatsReport["group_by"];
export type StatsSort = StatsReport["sort"];
/** A report's query in the analytics engine (reports the cubes cannot answer); null when the cubes answered. */
export type StatsQueryState = Schemas["QueryStateOut"];
/** `from`/`to`: local days of `tz`, inclusive; `advertiser_id` only for platform staff. */
export type StatsReportQuery = paths["/api/stats"]["get"]["parameters"]["query"];
/** What every statistics endpoint takes: the range, the time zone, the advertiser and the filters. */
export type StatsQuery = Omit<StatsReportQuery, "group_by" | "sort" | "desc" | "offset" | "limit">;
export type StatsLogQuery = paths["/api/stats/conversions"]["get"]["parameters"]["query"];
export type ClickLog = Schemas["ClickLogOut"];
export type ClickLogRow = Schemas["ClickLogRowOut"];
export type ConversionLog = Schemas["ConversionLogOut"];
export type ExportRequest = Schemas["ExportIn"];
export type ExportKind = ExportRequest["kind"];
/** A CSV export the reports worker builds: `rows` is its progress; `download_url` only from GET one, when ready. */
export type ExportJob = Schemas["ExportOut"];
export type ExportStatus = ExportJob["status"];
export type ExportList = Schemas["ExportList"];
/** A daily or monthly CSV summary the nightly worker built. */
export type Summary = Schemas["SummaryOut"];
export type SummaryPeriod = Summary["period"];

// --- Finance (from the generated schema) --------------------------------------------------------
/** Money: a decimal string in the row's `currency` ("12.50"); dates: ISO-8601 UTC strings. */
export type Balances = Schemas["BalancesOut"];
/** An affiliate's Hold (not yet approved), Approved (owed) and Paid, in one currency. */
export type AffiliateBalance = Schemas["AffiliateBalanceOut"];
/** The advertiser's deposits, pending and spent amounts and what is left, in one currency. */
export type AdvertiserBalance = Schemas["AdvertiserBalanceOut"];
export type OfferSpend = Schemas["OfferSpendOut"];
/** Without `affiliate_id`, every affiliate's approved balance; without `amount`, the whole of it. */
export type PayoutInput = Schemas["PayoutIn"];
export type Payout = Schemas["PayoutOut"];
export type PayoutList = Schemas["PayoutsOut"];
export type TopupInput = Schemas["TopupIn"];
export type Topup = Schemas["TopupOut"];
export type TopupList = Schemas["TopupsOut"];
/** Per currency: the low-balance threshold and the least an affiliate may ask to be paid. */
export type FinanceSettings = Schemas["FinanceSettingsBody"];
/** An affiliate's payout request or an advertiser's top-up sent for review; `answer`: the payout that paid it, or the top-up it became. */
export type MoneyRequest = Schemas["MoneyRequestOut"];
export type MoneyRequestStatus = MoneyRequest["status"];
export type MoneyRequestList = Schemas["MoneyRequestsOut"];
/** Without `amount`, the whole approved balance in that currency. */
export type PayoutRequestInput = Schemas["PayoutRequestIn"];
/**
 * A month's invoice: `open` is a preview of a month still running, `issued` is final and numbered.
 * Named through the lists that hold them: the document qualifies a schema name two modules share
 * (the platform's own invoices are an `InvoiceOut` too), and these names stay put whichever way it does.
 */
export type Invoice = Schemas["InvoicesOut"]["current"];
export type InvoiceStatus = Invoice["status"];
export type InvoiceLine = Invoice["lines"][number];
export type InvoiceTotal = Schemas["InvoiceTotalOut"];
export type InvoiceList = Schemas["InvoicesOut"];
/** One invoice with its conversions (the first of them when there are many: see `items_total`). */
export type InvoiceDetail = Schemas["InvoiceDetailOut"];
/** A conversion on an invoice; a reversed approval has a negative amount. */
export type InvoiceItem = Schemas["InvoiceItemOut"];
export type InvoiceLanguage = NonNullable<NonNullable<paths["/api/finance/invoices/{month}/document"]["get"]["parameters"]["query"]>["language"]>;
/** One advertiser's books in one currency, as platform staff see them side by side. */
export type FinanceOverviewRow = Schemas["OverviewRowOut"];
export type FinanceOverview = Answer<"/api/finance/overview">;

// --- Branding and custom domains (from the generated schema) ------------------------------------
/** An advertiser's brand as it edits it. Colours: "#rrggbb", or null for the platform's theme; images: same-origin paths. */
export type Brand = Schemas["BrandOut"];
/** Every text field of a brand at once: one left out (null) is cleared; the images are uploaded apart. */
export type BrandInput = Schemas["BrandIn"];
export type BrandAssetKind = Schemas["UploadIn"]["kind"];
/** A presigned POST: the form's fields, then the file, go straight to storage; then the upload is attached by its key. */
export type BrandUploadForm = Schemas["UploadOut"];
/** Whose portal a page is on (its host's advertiser, the one named, or the platform) and the brand it shows. */
export type Portal = Schemas["PortalOut"];
export type PublicBrand = Schemas["PublicBrandOut"];
export type Domain = Schemas["DomainOut"];
export type DomainKind = Domain["kind"];
export type DomainStatus = Domain["status"];
/** A DNS record the advertiser creates; `found`: what the last check saw (null before the first). */
export type DnsRecord = Schemas["DnsRecordOut"];
export type DomainList = Schemas["DomainList"];

// --- Notifications and webhooks (from the generated schema) -------------------------------------
/** Every notice the platform sends, dotted and stable (the `type` of a webhook's payload too). */
export type EventType = Schemas["EventType"];
/** How the preferences screen groups the notices. */
export type EventGroup = Schemas["Group"];
/** Where a notice goes. */
export type Channel = Schemas["Channel"];
/** One notice of the inbox, its title and body in the reader's language; `link`: a dashboard path. */
export type Notice = Schemas["NotificationOut"];
/** A page of the inbox, newest first, with the unread count of the notices in reach. */
export type NoticePage = Schemas["NotificationsOut"];
/** `GET /api/notifications/unread`, and the answer of marking one or all read. */
export type UnreadCount = Schemas["UnreadOut"];
export type EventPreference = Schemas["EventChoiceOut"];
export type TelegramLink = Schemas["TelegramOut"];
/** Only the notices the caller's side can receive, each with its channels. */
export type NotificationPreferences = Schemas["PreferencesOut"];
/** Per notice type, the channels it goes to. */
export type PreferencesInput = Schemas["PreferencesIn"];
/** A one-time code in a t.me deep link. */
export type TelegramLinkCode = Schemas["TelegramLinkOut"];
/** Which notice was turned off for which address. */
export type Unsubscribed = Schemas["UnsubscribeOut"];
/** A webhook endpoint of an advertiser's team or of an affiliate; `secret` signs its deliveries (Standard Webhooks). */
export type WebhookEndpoint = Schemas["EndpointOut"];
/** The notices an endpoint may subscribe to: every one but the security notices, which go to a person only. */
export type WebhookEventType = WebhookEndpoint["events"][number];
/** The endpoints and the types the caller may subscribe them to. */
export type WebhookList = Schemas["EndpointList"];
export type WebhookInput = Schemas["EndpointIn"];

// --- The platform's plans and its billing of advertisers (from the generated schema) ------------
/** Money: a decimal string in the row's currency ("149.00"); dates: ISO-8601 UTC strings; a null limit is unlimited. */
export type Plan = Schemas["PlanOut"];
export type PlanList = Schemas["PlanList"];
/** A plan's price in one currency: monthly, yearly (twelve months less 20 %), what a year saves, and the overage per 1,000 clicks (null: none, an upgrade is asked). */
export type PlanPrice = Schemas["PriceOut"];
export type PlanLimits = Schemas["LimitsBody"];
/** What the Owner saves of a plan (`PUT /api/admin/plans/{code}`); a new plan adds its `code`. */
export type PlanInput = Schemas["PlanIn"];
export type NewPlanInput = Schemas["NewPlanIn"];
export type PlanPriceInput = Schemas["PriceIn"];
export type Subscription = Schemas["SubscriptionOut"];
export type SubscriptionState = Subscription["state"];
export type BillingInterval = Subscription["interval"];
export type BillingPaymentMethod = Subscription["payment_method"];
/** This month's usage against the plan: a meter per limit (`allowed` null: unlimited). */
export type Usage = Schemas["UsageOut"];
export type Meter = Schemas["MeterOut"];
export type LimitName = Meter["limit"];
export type PlanChangeInput = Schemas["ChangeIn"];
/** A change of plan or interval: `effective` now (an upgrade, a first choice) or at the period's end (a downgrade); `checkout_url` to pay it by card. */
export type PlanChange = Schemas["ChangeOut"];
/** One of the platform's invoices to an advertiser (not the advertiser's monthly invoice of conversions, `Invoice`). */
export type PlatformInvoice = Answer<"/api/billing/invoices">["invoices"][number];
export type PlatformInvoiceStatus = PlatformInvoice["status"];
export type PlatformInvoiceKind = PlatformInvoice["kind"];
/** A platform invoice with the advertiser it is addressed to, as the Owner lists them. */
export type StaffInvoice = Schemas["StaffInvoiceOut"];
export type BillingProfile = Schemas["ProfileBody"];
/** The Owner's figures: MRR and ARR per currency, subscriptions by plan and state, trials ending, overdue invoices, churn by month. */
export type BillingOverview = Answer<"/api/admin/billing/overview">;
export type ChurnMonth = Schemas["ChurnMonthOut"];
export type TrialEnding = Schemas["TrialEndingOut"];
export type PlanStateCount = Schemas["PlanStateCount"];
/** A subscription as the Owner lists them: its advertiser, plan, state, price per interval, and its own terms if it has any. */
export type StaffSubscription = Schemas["StaffSubscriptionOut"];
/** An advertiser's own price and limits, as the Owner sets them (`PUT /api/admin/subscriptions/{advertiser_id}/terms`). */
export type TermsInput = Schemas["TermsIn"];

// --- Traffic quality (issue 20, report) -------------------------------------------------------------
/** The traffic-quality report: flagged and refused clicks by reason and what fraud rules did, per affiliate, offer or sub-id, with a trend by day. */
export type FraudReport = Schemas["FraudReportOut"];
export type FraudRow = Schemas["TrafficQualityOut"];
export type FraudGroup = FraudReport["group_by"];
export type FraudReportQuery = paths["/api/stats/fraud"]["get"]["parameters"]["query"];

/** An advertiser's block list (`offer_id` null) or one offer's: entries of each kind, their counts and limits. */
export type BlockList = Schemas["BlockListOut"];
export type BlockListInput = Schemas["BlockListIn"];
export type BlockListKind = Schemas["PastedEntriesIn"]["kind"];
export type SubKey = NonNullable<Schemas["PastedEntriesIn"]["sub_key"]>;
/** What a paste added: the list after it, the new entries and those it held already. */
export type EntriesAdded = Schemas["EntriesAddedOut"];
