import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import './fhir.css';
import { ApiError, NETWORK_ERROR, UNEXPECTED_RESPONSE } from '../../api/client';
import { Button } from '../../components/button';
import { FormError } from '../../components/form-error';
import { useSubmit } from '../../lib/use-submit';

/** The server's FHIR export of one conversation (a `collection` Bundle), for filing in the patient's record. */
export const conversationExportPath = (conversationId: string) =>
  `/fhir/R4/Communication/${encodeURIComponent(conversationId)}/$export`;

type OperationOutcome = {
  resourceType: 'OperationOutcome';
  id?: string;
  issue?: { details?: { coding?: { code?: string }[] } }[];
};

/** Fetches the export; FHIR errors (OperationOutcome) become the app's usual ApiError with their code. */
export async function fetchConversationExport(
  conversationId: string,
  fetcher: typeof fetch = fetch,
): Promise<{ file: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetcher(conversationExportPath(conversationId), {
      credentials: 'same-origin',
      headers: { accept: 'application/fhir+json' },
    });
  } catch {
    throw new ApiError({ code: NETWORK_ERROR, status: 0, message: 'network error' });
  }
  if (!response.ok) {
    let outcome: OperationOutcome | undefined;
    try {
      outcome = (await response.json()) as OperationOutcome;
    } catch {
      outcome = undefined;
    }
    const code = outcome?.issue?.[0]?.details?.coding?.[0]?.code;
    throw new ApiError({
      code: code ?? UNEXPECTED_RESPONSE,
      status: response.status,
      message: 'export failed',
      ...(outcome?.id ? { requestId: outcome.id } : {}),
    });
  }
  const file = new Blob([await response.arrayBuffer()], { type: 'application/fhir+json' });
  return { file, fileName: `conversation-${conversationId}.fhir.json` };
}

/** Hands a file to the browser as a download. */
function saveFile(file: Blob, fileName: string) {
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** "Export this conversation": downloads its FHIR Bundle as a file. */
export function ExportConversationButton({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const submit = useSubmit();
  const [done, setDone] = useState(false);

  async function exportConversation() {
    setDone(false);
    const outcome = await submit.run(() => fetchConversationExport(conversationId));
    if (outcome.ok) {
      saveFile(outcome.value.file, outcome.value.fileName);
      setDone(true);
    }
  }

  return (
    <div className="fhir-export">
      <Button
        variant="secondary"
        small
        busy={submit.busy}
        onClick={() => void exportConversation()}
        aria-describedby={`fhir-export-hint-${conversationId}`}
      >
        {t('fhirExport.button')}
      </Button>
      <p id={`fhir-export-hint-${conversationId}`} className="small muted fhir-export__hint">
        {t('fhirExport.hint')}
      </p>
      <FormError error={submit.error} />
      <div aria-live="polite">{done ? <p className="small msg-saved">{t('fhirExport.done')}</p> : null}</div>
    </div>
  );
}
