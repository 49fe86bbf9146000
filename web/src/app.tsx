import { Route, Routes } from 'react-router';
import { AccountPage } from './features/account/account-page';
import { AdminPage } from './features/admin/admin-page';
import { AgendaPage } from './features/agenda/agenda-page';
import { OpeningHoursPage } from './features/agenda/opening-hours-page';
import { MyAppointmentsPage } from './features/appointments/my-appointments-page';
import { ForgotPasswordPage } from './features/auth/forgot-password-page';
import { InvitationPage } from './features/auth/invitation-page';
import { ResetPasswordPage } from './features/auth/reset-password-page';
import { SignInPage } from './features/auth/signin-page';
import { SignUpPage } from './features/auth/signup-page';
import { VerifyEmailPage } from './features/auth/verify-email-page';
import { BookSearchPage } from './features/booking/search-page';
import { BookSlotsPage } from './features/booking/slots-page';
import { HomePage } from './features/home/home-page';
import { AppLayout } from './features/layout/app-layout';
import { PublicLayout } from './features/layout/public-layout';
import { RouteEffects } from './features/layout/route-effects';
import { OwnAccountPage } from './features/patient-links/own-account-page';
import { PatientInvitationPage } from './features/patient-links/patient-invitation-page';
import { ImportPage } from './features/patients/import-page';
import { PatientsPage } from './features/patients/patients-page';
import { LandingPage } from './features/public/landing-page';
import { NotFoundPage } from './features/public/not-found-page';
import { UnreachablePage } from './features/public/unreachable-page';
import { RelativesPage } from './features/relatives/relatives-page';
import { EnrolPage } from './features/security/enrol-page';
import { VerifyPage } from './features/security/verify-page';
import { TeamPage } from './features/team/team-page';
import { RedirectIfSignedIn, RequireKind, RequireMfaState, RequireSignedIn } from './session/guards';
import { useSession } from './session/session';

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
            <Route path="patient-invitation" element={<PatientInvitationPage />} />
            <Route path="own-account" element={<OwnAccountPage />} />
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
              <Route path="practices/:practiceId/team" element={<TeamPage />} />
              <Route element={<RequireKind kinds={['patient']} />}>
                <Route path="book" element={<BookSearchPage />} />
                <Route path="book/:practiceId/:practitionerId" element={<BookSlotsPage />} />
                <Route path="appointments" element={<MyAppointmentsPage />} />
                <Route path="relatives" element={<RelativesPage />} />
              </Route>
              <Route element={<RequireKind kinds={['staff']} />}>
                <Route path="practices/:practiceId/agenda" element={<AgendaPage />} />
                <Route path="practices/:practiceId/opening-hours" element={<OpeningHoursPage />} />
                <Route path="practices/:practiceId/patients" element={<PatientsPage />} />
                <Route path="practices/:practiceId/patients/import" element={<ImportPage />} />
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
