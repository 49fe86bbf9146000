import { type ComponentType, type LazyExoticComponent, lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { PageLoading } from './components/spinner';
import { AccountPage } from './features/account/account-page';
import { AdminPage } from './features/admin/admin-page';
import { ForgotPasswordPage } from './features/auth/forgot-password-page';
import { InvitationPage } from './features/auth/invitation-page';
import { ResetPasswordPage } from './features/auth/reset-password-page';
import { SignInPage } from './features/auth/signin-page';
import { SignUpPage } from './features/auth/signup-page';
import { VerifyEmailPage } from './features/auth/verify-email-page';
import { AccountClosedPage } from './features/data-rights/data-rights-section';
import { HomePage } from './features/home/home-page';
import { AppLayout } from './features/layout/app-layout';
import { PublicLayout } from './features/layout/public-layout';
import { RouteEffects } from './features/layout/route-effects';
import { LandingPage } from './features/public/landing-page';
import { NotFoundPage } from './features/public/not-found-page';
import { UnreachablePage } from './features/public/unreachable-page';
import { EnrolPage } from './features/security/enrol-page';
import { VerifyPage } from './features/security/verify-page';
import { TeamPage } from './features/team/team-page';
import { RedirectIfSignedIn, RequireKind, RequireMfaState, RequireSignedIn } from './session/guards';
import { useSession } from './session/session';

// Booking, relatives, agenda, patients and import load on first use, keeping the first download small.
const AgendaPage = lazy(() =>
  import('./features/agenda/agenda-page').then((module) => ({ default: module.AgendaPage })),
);
const OpeningHoursPage = lazy(() =>
  import('./features/agenda/opening-hours-page').then((module) => ({ default: module.OpeningHoursPage })),
);
const MyAppointmentsPage = lazy(() =>
  import('./features/appointments/my-appointments-page').then((module) => ({
    default: module.MyAppointmentsPage,
  })),
);
const BookSearchPage = lazy(() =>
  import('./features/booking/search-page').then((module) => ({ default: module.BookSearchPage })),
);
const BookSlotsPage = lazy(() =>
  import('./features/booking/slots-page').then((module) => ({ default: module.BookSlotsPage })),
);
const NotificationsPage = lazy(() =>
  import('./features/notifications/notifications-page').then((module) => ({
    default: module.NotificationsPage,
  })),
);
const OwnAccountPage = lazy(() =>
  import('./features/patient-links/own-account-page').then((module) => ({ default: module.OwnAccountPage })),
);
const PatientInvitationPage = lazy(() =>
  import('./features/patient-links/patient-invitation-page').then((module) => ({
    default: module.PatientInvitationPage,
  })),
);
const ImportPage = lazy(() =>
  import('./features/patients/import-page').then((module) => ({ default: module.ImportPage })),
);
const PatientsPage = lazy(() =>
  import('./features/patients/patients-page').then((module) => ({ default: module.PatientsPage })),
);
// Messaging: patient conversations and compose, practice inbox and settings.
const ConversationsPage = lazy(() =>
  import('./features/messaging/patient/conversations-page').then((module) => ({
    default: module.ConversationsPage,
  })),
);
const NewMessagePage = lazy(() =>
  import('./features/messaging/patient/new-message-page').then((module) => ({
    default: module.NewMessagePage,
  })),
);
const PatientThreadPage = lazy(() =>
  import('./features/messaging/patient/thread-page').then((module) => ({
    default: module.PatientThreadPage,
  })),
);
const InboxPage = lazy(() =>
  import('./features/messaging/practice/inbox-page').then((module) => ({ default: module.InboxPage })),
);
const MessagingSettingsPage = lazy(() =>
  import('./features/messaging/practice/settings-page').then((module) => ({
    default: module.MessagingSettingsPage,
  })),
);
const TermsPage = lazy(() =>
  import('./features/terms/terms-page').then((module) => ({ default: module.TermsPage })),
);
// Campaigns: list, compose and one campaign's progress and statistics.
const CampaignsPage = lazy(() =>
  import('./features/campaigns/campaigns-page').then((module) => ({ default: module.CampaignsPage })),
);
const ComposeCampaignPage = lazy(() =>
  import('./features/campaigns/compose-page').then((module) => ({ default: module.ComposeCampaignPage })),
);
const CampaignPage = lazy(() =>
  import('./features/campaigns/campaign-page').then((module) => ({ default: module.CampaignPage })),
);
const RelativesPage = lazy(() =>
  import('./features/relatives/relatives-page').then((module) => ({ default: module.RelativesPage })),
);

function Lazy({ page: Page }: { page: LazyExoticComponent<ComponentType> }) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<PageLoading label={t('common.loading')} />}>
      <Page />
    </Suspense>
  );
}

function LazyTerms({ kind }: { kind: 'patient' | 'practitioner' | 'privacy' }) {
  const { t } = useTranslation();
  return (
    <Suspense fallback={<PageLoading label={t('common.loading')} />}>
      <TermsPage kind={kind} />
    </Suspense>
  );
}

export function App() {
  const { status } = useSession();
  return (
    <>
      <RouteEffects />
      {status === 'unreachable' ? (
        <Routes>
          <Route element={<PublicLayout wide />}>
            <Route path="*" element={<UnreachablePage />} />
          </Route>
        </Routes>
      ) : (
        <Routes>
          <Route element={<RedirectIfSignedIn />}>
            <Route element={<PublicLayout wide />}>
              <Route index element={<LandingPage />} />
            </Route>
            <Route element={<PublicLayout />}>
              <Route path="signin" element={<SignInPage />} />
              <Route path="signup" element={<SignUpPage />} />
              <Route path="forgot-password" element={<ForgotPasswordPage />} />
            </Route>
          </Route>

          {/* Links from e-mails work whether or not someone is signed in. */}
          <Route element={<PublicLayout />}>
            <Route path="verify-email" element={<VerifyEmailPage />} />
            <Route path="reset-password" element={<ResetPasswordPage mode="reset" />} />
            <Route path="activate" element={<ResetPasswordPage mode="activate" />} />
            <Route path="invitation" element={<InvitationPage />} />
            <Route path="patient-invitation" element={<Lazy page={PatientInvitationPage} />} />
            <Route path="own-account" element={<Lazy page={OwnAccountPage} />} />
            <Route path="account-closed" element={<AccountClosedPage />} />
          </Route>
          {/* The terms and the privacy notice can be read by anyone, signed in or not. */}
          <Route element={<PublicLayout wide />}>
            <Route path="terms" element={<LazyTerms kind="patient" />} />
            <Route path="terms/practitioners" element={<LazyTerms kind="practitioner" />} />
            <Route path="privacy" element={<LazyTerms kind="privacy" />} />
          </Route>
          <Route element={<PublicLayout />}>
            <Route element={<RequireMfaState state="enrolment_required" />}>
              <Route path="security/enrol" element={<EnrolPage />} />
            </Route>
            <Route element={<RequireMfaState state="required" />}>
              <Route path="security/verify" element={<VerifyPage />} />
            </Route>
          </Route>

          <Route element={<RequireSignedIn />}>
            <Route element={<AppLayout />}>
              <Route path="home" element={<HomePage />} />
              <Route path="account" element={<AccountPage />} />
              <Route path="account/notifications" element={<Lazy page={NotificationsPage} />} />
              <Route path="practices/:practiceId/team" element={<TeamPage />} />
              <Route element={<RequireKind kinds={['patient']} />}>
                <Route path="book" element={<Lazy page={BookSearchPage} />} />
                <Route path="book/:practiceId/:practitionerId" element={<Lazy page={BookSlotsPage} />} />
                <Route path="appointments" element={<Lazy page={MyAppointmentsPage} />} />
                <Route path="relatives" element={<Lazy page={RelativesPage} />} />
                <Route path="messages" element={<Lazy page={ConversationsPage} />} />
                <Route path="messages/new" element={<Lazy page={NewMessagePage} />} />
                <Route path="messages/:conversationId" element={<Lazy page={PatientThreadPage} />} />
              </Route>
              <Route element={<RequireKind kinds={['staff']} />}>
                <Route path="practices/:practiceId/agenda" element={<Lazy page={AgendaPage} />} />
                <Route
                  path="practices/:practiceId/opening-hours"
                  element={<Lazy page={OpeningHoursPage} />}
                />
                <Route path="practices/:practiceId/patients" element={<Lazy page={PatientsPage} />} />
                <Route path="practices/:practiceId/patients/import" element={<Lazy page={ImportPage} />} />
                <Route
                  path="practices/:practiceId/inbox/:conversationId?"
                  element={<Lazy page={InboxPage} />}
                />
                <Route
                  path="practices/:practiceId/messaging-settings"
                  element={<Lazy page={MessagingSettingsPage} />}
                />
                <Route path="practices/:practiceId/campaigns" element={<Lazy page={CampaignsPage} />} />
                <Route
                  path="practices/:practiceId/campaigns/new"
                  element={<Lazy page={ComposeCampaignPage} />}
                />
                <Route
                  path="practices/:practiceId/campaigns/:campaignId"
                  element={<Lazy page={CampaignPage} />}
                />
              </Route>
              <Route element={<RequireKind kinds={['admin']} />}>
                <Route path="admin" element={<AdminPage />} />
              </Route>
            </Route>
          </Route>

          <Route element={<PublicLayout wide />}>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      )}
    </>
  );
}
