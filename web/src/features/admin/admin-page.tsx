import { useTranslation } from 'react-i18next';
import type { AdminPractitioner } from '../../../../src/contracts/admin';
import type { Practice } from '../../../../src/contracts/practices';
import { adminApi } from '../../api/endpoints';
import { LoadError } from '../../components/load-error';
import { PageHeader } from '../../components/page-header';
import { PageLoading } from '../../components/spinner';
import { useResource } from '../../lib/use-resource';
import { KeyRotationCard } from '../audit/key-rotation-card';
import { PracticesSection } from './practices-section';
import { PractitionersSection } from './practitioners-section';

type AdminData = { practices: Practice[]; practitioners: AdminPractitioner[] };

async function loadAdminData(): Promise<AdminData> {
  const [practices, practitioners] = await Promise.all([
    adminApi.listPractices(),
    adminApi.listPractitioners(),
  ]);
  return { practices: practices.practices, practitioners: practitioners.practitioners };
}

export function AdminPage() {
  const { t } = useTranslation();
  const { resource, setData, reload } = useResource(loadAdminData, 'admin');

  const upsertPractitioner = (practitioner: AdminPractitioner) =>
    setData((data) => {
      const exists = data.practitioners.some((candidate) => candidate.userId === practitioner.userId);
      return {
        ...data,
        practitioners: exists
          ? data.practitioners.map((candidate) =>
              candidate.userId === practitioner.userId ? practitioner : candidate,
            )
          : [practitioner, ...data.practitioners],
      };
    });
  const addPractice = (practice: Practice) =>
    setData((data) =>
      data.practices.some((candidate) => candidate.id === practice.id)
        ? data
        : { ...data, practices: [practice, ...data.practices] },
    );

  const refreshPractices = () => {
    adminApi.listPractices().then(
      ({ practices }) => setData((data) => ({ ...data, practices })),
      () => {
        // The list stays as it was; the next visit shows the new practice.
      },
    );
  };

  return (
    <div className="stack-lg">
      <PageHeader title={t('admin.title')} description={t('admin.description')} />
      {resource.status === 'loading' ? <PageLoading label={t('common.loading')} /> : null}
      {resource.status === 'failed' ? <LoadError error={resource.error} onRetry={reload} /> : null}
      {resource.status === 'ready' ? (
        <>
          <PractitionersSection
            practitioners={resource.data.practitioners}
            practices={resource.data.practices}
            onChanged={upsertPractitioner}
            onPracticesChanged={refreshPractices}
          />
          <PracticesSection practices={resource.data.practices} onCreated={addPractice} />
          <KeyRotationCard />
        </>
      ) : null}
    </div>
  );
}
