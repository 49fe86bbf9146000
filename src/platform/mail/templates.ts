import type { Locale } from '../../contracts/common';

/**
 * Every e-mail Missive sends. Mail never carries health content: no message text, no conversation
 * subject, no diagnosis — only that something is waiting, and a link to sign in.
 */
export type MailTemplate =
  | { kind: 'verify_email'; link: string }
  | { kind: 'account_exists'; link: string }
  | { kind: 'reset_password'; link: string }
  | { kind: 'activate_account'; link: string; name: string }
  | { kind: 'account_locked'; minutes: number; link: string }
  | { kind: 'practice_invitation'; link: string; practiceName: string; role: 'practitioner' | 'assistant' }
  | { kind: 'own_account_offer'; link: string }
  | { kind: 'patient_invitation'; link: string; practiceName: string }
  | { kind: 'appointment_cancelled'; link: string; practiceName: string; when: string }
  | { kind: 'new_message'; link: string; practiceName: string }
  | { kind: 'daily_digest'; link: string; practiceName: string; waiting: number; overdue: number };

interface Rendered {
  subject: string;
  text: string;
}

type Texts = { [K in MailTemplate['kind']]: (t: Extract<MailTemplate, { kind: K }>) => Rendered };

const signature = {
  fr: '— Missive, messagerie sécurisée entre patients et praticiens',
  it: '— Missive, messaggistica sicura tra pazienti e medici',
  en: '— Missive, secure messaging between patients and practitioners',
} as const;

const roleNames = {
  fr: { practitioner: 'praticien', assistant: 'assistant(e)' },
  it: { practitioner: 'medico', assistant: 'assistente' },
  en: { practitioner: 'practitioner', assistant: 'assistant' },
} as const;

const TEXTS: Record<Locale, Texts> = {
  fr: {
    verify_email: ({ link }) => ({
      subject: 'Confirmez votre adresse e-mail',
      text: `Bonjour,\n\nPour activer votre compte Missive, confirmez votre adresse e-mail en ouvrant ce lien (valable 48 heures) :\n${link}\n\nSi vous n’avez pas créé de compte, ignorez ce message.`,
    }),
    account_exists: ({ link }) => ({
      subject: 'Tentative de création de compte',
      text: `Bonjour,\n\nQuelqu’un a essayé de créer un compte Missive avec votre adresse e-mail, qui en possède déjà un.\nSi c’était vous, connectez-vous ou réinitialisez votre mot de passe :\n${link}\n\nSinon, vous pouvez ignorer ce message.`,
    }),
    reset_password: ({ link }) => ({
      subject: 'Réinitialisation de votre mot de passe',
      text: `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure) :\n${link}\n\nSi vous n’avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.`,
    }),
    activate_account: ({ link, name }) => ({
      subject: 'Votre compte praticien Missive',
      text: `Bonjour ${name},\n\nUn administrateur a créé votre compte Missive. Choisissez votre mot de passe en ouvrant ce lien (valable 7 jours) :\n${link}\n\nVous configurerez ensuite la validation en deux étapes avec une application d’authentification.`,
    }),
    account_locked: ({ minutes, link }) => ({
      subject: 'Connexion temporairement bloquée',
      text: `Bonjour,\n\nPlusieurs tentatives de connexion ont échoué sur votre compte Missive. Par sécurité, la connexion est bloquée pendant ${minutes} minutes.\nSi ce n’était pas vous, nous vous conseillons de changer votre mot de passe :\n${link}`,
    }),
    practice_invitation: ({ link, practiceName, role }) => ({
      subject: `Invitation à rejoindre ${practiceName}`,
      text: `Bonjour,\n\n${practiceName} vous invite à rejoindre son équipe sur Missive en tant que ${roleNames.fr[role]}.\nPour accepter, ouvrez ce lien (valable 7 jours) :\n${link}`,
    }),
    own_account_offer: ({ link }) => ({
      subject: 'Ton propre compte Missive',
      text: `Bonjour,\n\nUn parent te propose de créer ton propre compte Missive. Avec lui, tu gères toi-même tes rendez-vous et tes échanges avec tes praticiens, en toute confidentialité.\nPour le créer, ouvre ce lien (valable 7 jours) :\n${link}`,
    }),
    patient_invitation: ({ link, practiceName }) => ({
      subject: `${practiceName} vous invite sur Missive`,
      text: `Bonjour,\n\n${practiceName} utilise Missive pour les rendez-vous et la messagerie sécurisée avec ses patients.\nPour relier votre compte (ou en créer un), ouvrez ce lien (valable 30 jours) :\n${link}`,
    }),
    new_message: ({ link, practiceName }) => ({
      subject: 'Nouveau message',
      text: `Bonjour,\n\nVous avez un nouveau message de ${practiceName}.\nPour le lire, connectez-vous :\n${link}`,
    }),
    daily_digest: ({ link, practiceName, waiting, overdue }) => ({
      subject: `Messagerie de ${practiceName} : ${waiting} en attente`,
      text: `Bonjour,\n\n${practiceName} a ${waiting} conversation(s) en attente de réponse, dont ${overdue} en retard sur le délai annoncé aux patients.\nPour les traiter, connectez-vous :\n${link}`,
    }),
    appointment_cancelled: ({ link, practiceName, when }) => ({
      subject: 'Rendez-vous annulé',
      text: `Bonjour,\n\n${practiceName} a dû annuler votre rendez-vous du ${when}.\nPour prendre un nouveau rendez-vous ou lire le motif, connectez-vous :\n${link}`,
    }),
  },
  it: {
    verify_email: ({ link }) => ({
      subject: 'Conferma il tuo indirizzo e-mail',
      text: `Buongiorno,\n\nPer attivare il tuo account Missive, conferma il tuo indirizzo e-mail aprendo questo link (valido 48 ore):\n${link}\n\nSe non hai creato un account, ignora questo messaggio.`,
    }),
    account_exists: ({ link }) => ({
      subject: 'Tentativo di creazione di un account',
      text: `Buongiorno,\n\nQualcuno ha provato a creare un account Missive con il tuo indirizzo e-mail, che ne ha già uno.\nSe eri tu, accedi o reimposta la password:\n${link}\n\nAltrimenti puoi ignorare questo messaggio.`,
    }),
    reset_password: ({ link }) => ({
      subject: 'Reimpostazione della password',
      text: `Buongiorno,\n\nPer scegliere una nuova password, apri questo link (valido 1 ora):\n${link}\n\nSe non hai chiesto nulla, ignora questo messaggio: la tua password non cambia.`,
    }),
    activate_account: ({ link, name }) => ({
      subject: 'Il tuo account medico Missive',
      text: `Buongiorno ${name},\n\nUn amministratore ha creato il tuo account Missive. Scegli la tua password aprendo questo link (valido 7 giorni):\n${link}\n\nPoi configurerai la verifica in due passaggi con un’app di autenticazione.`,
    }),
    account_locked: ({ minutes, link }) => ({
      subject: 'Accesso temporaneamente bloccato',
      text: `Buongiorno,\n\nSono falliti diversi tentativi di accesso al tuo account Missive. Per sicurezza l’accesso è bloccato per ${minutes} minuti.\nSe non eri tu, ti consigliamo di cambiare la password:\n${link}`,
    }),
    practice_invitation: ({ link, practiceName, role }) => ({
      subject: `Invito a unirti a ${practiceName}`,
      text: `Buongiorno,\n\n${practiceName} ti invita a unirti al suo team su Missive come ${roleNames.it[role]}.\nPer accettare, apri questo link (valido 7 giorni):\n${link}`,
    }),
    own_account_offer: ({ link }) => ({
      subject: 'Il tuo account Missive personale',
      text: `Ciao,\n\nUn genitore ti propone di creare il tuo account Missive personale. Con questo gestisci da solo i tuoi appuntamenti e i messaggi con i tuoi medici, in modo riservato.\nPer crearlo, apri questo link (valido 7 giorni):\n${link}`,
    }),
    patient_invitation: ({ link, practiceName }) => ({
      subject: `${practiceName} ti invita su Missive`,
      text: `Buongiorno,\n\n${practiceName} usa Missive per gli appuntamenti e la messaggistica sicura con i pazienti.\nPer collegare il tuo account (o crearne uno), apri questo link (valido 30 giorni):\n${link}`,
    }),
    new_message: ({ link, practiceName }) => ({
      subject: 'Nuovo messaggio',
      text: `Buongiorno,\n\nHai un nuovo messaggio da ${practiceName}.\nPer leggerlo, accedi:\n${link}`,
    }),
    daily_digest: ({ link, practiceName, waiting, overdue }) => ({
      subject: `Messaggi di ${practiceName}: ${waiting} in attesa`,
      text: `Buongiorno,\n\n${practiceName} ha ${waiting} conversazione/i in attesa di risposta, di cui ${overdue} oltre il tempo di risposta indicato ai pazienti.\nPer gestirle, accedi:\n${link}`,
    }),
    appointment_cancelled: ({ link, practiceName, when }) => ({
      subject: 'Appuntamento annullato',
      text: `Buongiorno,\n\n${practiceName} ha dovuto annullare il tuo appuntamento del ${when}.\nPer prendere un nuovo appuntamento o leggere il motivo, accedi:\n${link}`,
    }),
  },
  en: {
    verify_email: ({ link }) => ({
      subject: 'Confirm your e-mail address',
      text: `Hello,\n\nTo activate your Missive account, confirm your e-mail address by opening this link (valid for 48 hours):\n${link}\n\nIf you did not create an account, ignore this message.`,
    }),
    account_exists: ({ link }) => ({
      subject: 'Attempt to create an account',
      text: `Hello,\n\nSomeone tried to create a Missive account with your e-mail address, which already has one.\nIf it was you, sign in or reset your password:\n${link}\n\nOtherwise you can ignore this message.`,
    }),
    reset_password: ({ link }) => ({
      subject: 'Reset your password',
      text: `Hello,\n\nTo choose a new password, open this link (valid for 1 hour):\n${link}\n\nIf you did not ask for this, ignore this message: your password stays the same.`,
    }),
    activate_account: ({ link, name }) => ({
      subject: 'Your Missive practitioner account',
      text: `Hello ${name},\n\nAn administrator created your Missive account. Choose your password by opening this link (valid for 7 days):\n${link}\n\nYou will then set up two-step verification with an authenticator app.`,
    }),
    account_locked: ({ minutes, link }) => ({
      subject: 'Sign-in temporarily blocked',
      text: `Hello,\n\nSeveral sign-in attempts on your Missive account failed. For your security, sign-in is blocked for ${minutes} minutes.\nIf this was not you, we advise you to change your password:\n${link}`,
    }),
    practice_invitation: ({ link, practiceName, role }) => ({
      subject: `Invitation to join ${practiceName}`,
      text: `Hello,\n\n${practiceName} invites you to join its team on Missive as ${roleNames.en[role]}.\nTo accept, open this link (valid for 7 days):\n${link}`,
    }),
    own_account_offer: ({ link }) => ({
      subject: 'Your own Missive account',
      text: `Hello,\n\nA parent offers you your own Missive account. With it you manage your appointments and messages with your practitioners yourself, confidentially.\nTo create it, open this link (valid for 7 days):\n${link}`,
    }),
    patient_invitation: ({ link, practiceName }) => ({
      subject: `${practiceName} invites you to Missive`,
      text: `Hello,\n\n${practiceName} uses Missive for appointments and secure messaging with its patients.\nTo link your account (or create one), open this link (valid for 30 days):\n${link}`,
    }),
    new_message: ({ link, practiceName }) => ({
      subject: 'New message',
      text: `Hello,\n\nYou have a new message from ${practiceName}.\nTo read it, sign in:\n${link}`,
    }),
    daily_digest: ({ link, practiceName, waiting, overdue }) => ({
      subject: `${practiceName} messaging: ${waiting} waiting`,
      text: `Hello,\n\n${practiceName} has ${waiting} conversation(s) waiting for an answer, ${overdue} of them past the response time shown to patients.\nTo handle them, sign in:\n${link}`,
    }),
    appointment_cancelled: ({ link, practiceName, when }) => ({
      subject: 'Appointment cancelled',
      text: `Hello,\n\n${practiceName} had to cancel your appointment of ${when}.\nTo book a new appointment or read the reason, sign in:\n${link}`,
    }),
  },
};

export function renderMail(locale: Locale, template: MailTemplate): Rendered {
  const render = TEXTS[locale][template.kind] as (t: MailTemplate) => Rendered;
  const { subject, text } = render(template);
  return { subject: `Missive — ${subject}`, text: `${text}\n\n${signature[locale]}\n` };
}
