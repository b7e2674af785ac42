import { lazy, Suspense, type ReactNode } from "react";
import { createBrowserRouter } from "react-router-dom";
import { NotFoundPage } from "@/app/not-found-page";
import { AppShell } from "@/components/layout/app-shell";
import { permissionFor } from "@/components/layout/navigation";
import { Spinner } from "@/components/ui/spinner";
import { AcceptInvitePage } from "@/features/auth/accept-invite-page";
import { CheckEmailPage } from "@/features/auth/check-email-page";
import { ForgotPasswordPage } from "@/features/auth/forgot-password-page";
import { RedirectIfSignedIn, RequireAuth, RequirePermission } from "@/features/auth/guards";
import { ResetPasswordPage } from "@/features/auth/reset-password-page";
import { PricingFrame } from "@/features/billing/pricing-frame";
import { SignInPage } from "@/features/auth/sign-in-page";
import { SignUpPage } from "@/features/auth/sign-up-page";
import { VerifyEmailPage } from "@/features/auth/verify-email-page";
import { JoinPage } from "@/features/join/join-page";
import { UnsubscribePage } from "@/features/notifications/unsubscribe-page";

// Dashboard pages load on first visit; the sign-in screens stay in the first bundle.
const AccountPage = lazy(() => import("@/features/account/account-page").then((module) => ({ default: module.AccountPage })));
const AdvertisersPage = lazy(() => import("@/features/advertisers/advertisers-page").then((module) => ({ default: module.AdvertisersPage })));
const ApiKeysPage = lazy(() => import("@/features/api-keys/api-keys-page").then((module) => ({ default: module.ApiKeysPage })));
const BrandPage = lazy(() => import("@/features/branding/brand-page").then((module) => ({ default: module.BrandPage })));
const AuditPage = lazy(() => import("@/features/audit/audit-page").then((module) => ({ default: module.AuditPage })));
const LinkBuilderPage = lazy(() => import("@/features/affiliate-offers/link-builder-page").then((module) => ({ default: module.LinkBuilderPage })));
const MyOffersPage = lazy(() => import("@/features/affiliate-offers/my-offers-page").then((module) => ({ default: module.MyOffersPage })));
const MonitorPage = lazy(() => import("@/features/monitor/monitor-page").then((module) => ({ default: module.MonitorPage })));
const OfferCreatePage = lazy(() => import("@/features/offers/offer-create-page").then((module) => ({ default: module.OfferCreatePage })));
const OfferEditPage = lazy(() => import("@/features/offers/offer-edit-page").then((module) => ({ default: module.OfferEditPage })));
const OffersPage = lazy(() => import("@/features/offers/offers-page").then((module) => ({ default: module.OffersPage })));
const ExportsPage = lazy(() => import("@/features/stats/exports-page").then((module) => ({ default: module.ExportsPage })));
const LogsPage = lazy(() => import("@/features/stats/logs-page").then((module) => ({ default: module.LogsPage })));
const ReportsPage = lazy(() => import("@/features/stats/reports-page").then((module) => ({ default: module.ReportsPage })));
// issue 20 (report)
const FraudReportPage = lazy(() => import("@/features/fraud-report/fraud-report-page").then((module) => ({ default: module.FraudReportPage })));
const ClickPage = lazy(() => import("@/features/clicks/click-page").then((module) => ({ default: module.ClickPage })));
const ConversionsPage = lazy(() => import("@/features/conversions/conversions-page").then((module) => ({ default: module.ConversionsPage })));
const FraudPage = lazy(() => import("@/features/fraud/fraud-page").then((module) => ({ default: module.FraudPage })));
const MyConversionsPage = lazy(() => import("@/features/affiliate-conversions/my-conversions-page").then((module) => ({ default: module.MyConversionsPage })));
const DeliveriesPage = lazy(() => import("@/features/deliveries/deliveries-page").then((module) => ({ default: module.DeliveriesPage })));
const FinancePage = lazy(() => import("@/features/finance/finance-page").then((module) => ({ default: module.FinancePage })));
const InvoicePage = lazy(() => import("@/features/finance/invoice-page").then((module) => ({ default: module.InvoicePage })));
const DomainsPage = lazy(() => import("@/features/domains/domains-page").then((module) => ({ default: module.DomainsPage })));
const BlockListsPage = lazy(() => import("@/features/block-lists/block-lists-page").then((module) => ({ default: module.BlockListsPage })));
const DashboardPage = lazy(() => import("@/features/dashboard/dashboard-page").then((module) => ({ default: module.DashboardPage })));
const MembershipsPage = lazy(() => import("@/features/memberships/memberships-page").then((module) => ({ default: module.MembershipsPage })));
const PostbacksPage = lazy(() => import("@/features/postbacks/postbacks-page").then((module) => ({ default: module.PostbacksPage })));
const RegistrationLinksPage = lazy(() =>
  import("@/features/registration-links/registration-links-page").then((module) => ({ default: module.RegistrationLinksPage })),
);
const NotificationsPage = lazy(() => import("@/features/notifications/notifications-page").then((module) => ({ default: module.NotificationsPage })));
const PreferencesPage = lazy(() => import("@/features/notifications/preferences-page").then((module) => ({ default: module.PreferencesPage })));
const WebhooksPage = lazy(() => import("@/features/webhooks/webhooks-page").then((module) => ({ default: module.WebhooksPage })));
const WebhookDeliveriesPage = lazy(() => import("@/features/webhooks/webhook-deliveries-page").then((module) => ({ default: module.WebhookDeliveriesPage })));
const SettingsPage = lazy(() => import("@/features/settings/settings-page").then((module) => ({ default: module.SettingsPage })));
const TeamPage = lazy(() => import("@/features/team/team-page").then((module) => ({ default: module.TeamPage })));
const BillingPage = lazy(() => import("@/features/billing/billing-page").then((module) => ({ default: module.BillingPage })));
const PricingPage = lazy(() => import("@/features/billing/pricing-page").then((module) => ({ default: module.PricingPage })));
const AdminPlansPage = lazy(() => import("@/features/billing/admin-plans-page").then((module) => ({ default: module.AdminPlansPage })));
const AdminBillingPage = lazy(() => import("@/features/billing/admin-billing-page").then((module) => ({ default: module.AdminBillingPage })));
const UsersPage = lazy(() => import("@/features/users/users-page").then((module) => ({ default: module.UsersPage })));

function PageFallback() {
  return (
    <div className="flex justify-center py-20 text-muted-foreground">
      <Spinner className="size-5" />
    </div>
  );
}

/** A dashboard page open to those whose sidebar lists it (or lists `section`, for a page inside one). */
function guarded(path: string, page: ReactNode, section: string = path) {
  return {
    path: path === "/" ? undefined : path.slice(1),
    index: path === "/",
    element: (
      <RequirePermission permission={permissionFor(section)}>
        <Suspense fallback={<PageFallback />}>{page}</Suspense>
      </RequirePermission>
    ),
  };
}

const signedOut = (page: ReactNode) => <RedirectIfSignedIn>{page}</RedirectIfSignedIn>;

export const router = createBrowserRouter([
  { path: "/sign-in", element: signedOut(<SignInPage />) },
  { path: "/sign-up", element: signedOut(<SignUpPage />) },
  { path: "/check-email", element: <CheckEmailPage /> },
  { path: "/verify-email", element: <VerifyEmailPage /> },
  { path: "/forgot-password", element: signedOut(<ForgotPasswordPage />) },
  { path: "/reset-password", element: <ResetPasswordPage /> },
  { path: "/accept-invite", element: <AcceptInvitePage /> },
  { path: "/join/:code", element: <JoinPage /> },
  // An e-mail's unsubscribe link: its token is the proof, signed in or not.
  { path: "/unsubscribe", element: <UnsubscribePage /> },
  // The plans side by side: a visitor's page of its own, or a page of the dashboard for whoever is signed in.
  {
    path: "/pricing",
    element: <PricingFrame />,
    children: [
      {
        index: true,
        element: (
          <Suspense fallback={<PageFallback />}>
            <PricingPage />
          </Suspense>
        ),
      },
    ],
  },
  {
    path: "/",
    element: (
      <RequireAuth>
        <AppShell />
      </RequireAuth>
    ),
    children: [
      guarded("/", <DashboardPage />),
      guarded("/offers", <OffersPage />),
      guarded("/offers/new", <OfferCreatePage />, "/offers"),
      guarded("/offers/:offerId", <OfferEditPage />, "/offers"),
      guarded("/conversions", <ConversionsPage />),
      guarded("/fraud-rules", <FraudPage />),
      guarded("/my/offers", <MyOffersPage />),
      guarded("/my/conversions", <MyConversionsPage />),
      guarded("/link-builder", <LinkBuilderPage />),
      guarded("/postbacks", <PostbacksPage />),
      guarded("/reports", <ReportsPage />),
      guarded("/fraud-report", <FraudReportPage />),
      guarded("/clicks", <LogsPage />),
      guarded("/clicks/:clickId", <ClickPage />, "/clicks"),
      guarded("/exports", <ExportsPage />),
      guarded("/finance", <FinancePage />),
      guarded("/finance/invoices/:month", <InvoicePage />, "/finance"),
      guarded("/deliveries", <DeliveriesPage />),
      guarded("/users", <UsersPage />),
      guarded("/advertisers", <AdvertisersPage />),
      guarded("/monitor", <MonitorPage />),
      guarded("/memberships", <MembershipsPage />),
      guarded("/registration-links", <RegistrationLinksPage />),
      guarded("/team", <TeamPage />),
      guarded("/api-keys", <ApiKeysPage />),
      guarded("/settings", <SettingsPage />),
      // Every user's own notices and their channels, like the account page.
      guarded("/notifications", <NotificationsPage />, "/account"),
      guarded("/settings/notifications", <PreferencesPage />, "/account"),
      guarded("/webhooks", <WebhooksPage />),
      guarded("/webhooks/:endpointId/deliveries", <WebhookDeliveriesPage />, "/webhooks"),
      guarded("/brand", <BrandPage />),
      guarded("/domains", <DomainsPage />),
      guarded("/block-lists", <BlockListsPage />),
      guarded("/audit", <AuditPage />),
      guarded("/billing", <BillingPage />),
      guarded("/admin/plans", <AdminPlansPage />),
      guarded("/admin/billing", <AdminBillingPage />),
      guarded("/account", <AccountPage />),
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
