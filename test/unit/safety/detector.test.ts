import { describe, expect, it } from 'vitest';
import {
  evaluate,
  LANGS,
  loadSet,
  TARGET_FALSE_POSITIVE_RATE,
  TARGET_RECALL,
} from '../../../scripts/eval-safety';
import { SHARED_RULES } from '../../../src/domain/safety/concepts';
import {
  checkEmergency,
  detectKind,
  type EmergencyKind,
  emergencyNumbers,
  type SafetyLang,
} from '../../../src/domain/safety/detector';
import { lexiconEn } from '../../../src/domain/safety/lexicon.en';
import { lexiconFr } from '../../../src/domain/safety/lexicon.fr';
import { lexiconIt } from '../../../src/domain/safety/lexicon.it';

type Case = readonly [SafetyLang, string];

// For every situation and language: messages that must fire, and routine messages that merely contain
// the same alarming words and must not.
const CASES: Record<EmergencyKind, { fire: readonly Case[]; quiet: readonly Case[] }> = {
  chest_pain: {
    fire: [
      ['fr', "j'ai une grosse douleur dans la poitrine qui serre depuis 20 minutes"],
      ['fr', 'g mal o coeur sa serre'],
      ['it', 'ho un forte dolore al petto che si irradia al braccio'],
      ['en', 'crushing pain in my chest and my left arm feels heavy'],
    ],
    quiet: [
      ['fr', "pas de douleur thoracique depuis l'arrêt du tabac"],
      ['fr', "j'ai fait un infarctus il y a 3 ans, je voudrais renouveler mon Kardegic"],
      ['it', 'non ho dolore al petto, volevo solo la ricetta'],
      ['en', 'my chest X-ray results came back, are they normal?'],
      ['en', 'no chest pain, just a cough'],
    ],
  },
  stroke: {
    fire: [
      ['fr', "ma mère a la bouche de travers et n'arrive plus à parler"],
      ['it', 'mio padre ha la faccia storta e non muove il braccio destro'],
      ['en', "dad's face is drooping and his speech is slurred"],
    ],
    quiet: [
      ['fr', 'comment prévenir un AVC quand on a du diabète ?'],
      ['it', 'mio nonno ha avuto un ictus nel 2015, serve la ricetta'],
      ['en', 'how to prevent a stroke?'],
    ],
  },
  breathing: {
    fire: [
      ['fr', 'jpeu pa respirer'],
      ['it', 'nn riesco a respirare'],
      ['en', 'cant breathe'],
      ['en', 'HEEELP I CANT BREATHE'],
    ],
    quiet: [
      ['fr', 'je respire bien mieux avec le nouveau spray'],
      ['it', 'respiro bene, volevo solo il rinnovo del ventolin'],
      ['en', 'I can breathe fine now, thanks for the inhaler'],
    ],
  },
  anaphylaxis: {
    fire: [
      ['fr', 'après les cacahuètes sa langue gonfle et il a du mal à respirer'],
      ['it', 'dopo la puntura di vespa le si gonfia la gola'],
      ['en', 'my throat is swelling after eating prawns'],
    ],
    quiet: [
      ['fr', 'mon fils est allergique aux arachides, pouvez-vous renouveler son stylo ?'],
      ['it', 'sono allergica alle noci, posso fare il vaccino?'],
      ['en', 'no swelling at all after the bee sting'],
    ],
  },
  bleeding: {
    fire: [
      ['fr', 'je saigne énormément de la main, ça ne s’arrête pas'],
      ['it', 'mio padre vomita sangue'],
      ['en', "I'm coughing up blood"],
    ],
    quiet: [
      ['fr', 'les résultats de ma prise de sang sont-ils arrivés ?'],
      ['it', 'mi sanguinano un po’ le gengive'],
      ['en', 'I had a small nosebleed this morning, it stopped by itself'],
    ],
  },
  unconscious: {
    fire: [
      ['fr', 'mon mari est tombé et il ne répond plus'],
      ['it', 'mia madre ha perso conoscenza e non si sveglia'],
      ['en', 'my son collapsed and is unresponsive'],
    ],
    quiet: [
      ['fr', 'le secrétariat ne répond pas au téléphone'],
      ['it', 'non ho mai perso conoscenza, solo capogiri'],
      ['en', 'I fainted once last year when giving blood'],
    ],
  },
  seizure: {
    fire: [
      ['fr', 'mon fils convulse, il a les yeux révulsés'],
      ['it', 'mia figlia ha le convulsioni adesso'],
      ['en', 'my daughter is having a seizure right now'],
    ],
    quiet: [
      ['fr', 'pouvez-vous renouveler le traitement antiépileptique de ma fille ?'],
      ['it', 'mio figlio non ha più avuto convulsioni da due anni'],
      ['en', 'what should I do if my child has a febrile seizure?'],
    ],
  },
  suicide: {
    fire: [
      ['fr', "je veux mourir, j'ai tout préparé pour ce soir"],
      ['it', 'voglio farla finita'],
      ['en', 'I want to kill myself'],
    ],
    quiet: [
      ['fr', 'ce boulot me tue, je suis mort de fatigue'],
      ['it', 'non ho pensieri suicidi, solo stanchezza'],
      ['en', "I'm dead tired and this job is killing me"],
    ],
  },
  overdose: {
    fire: [
      ['fr', 'mon fils de 3 ans a avalé des comprimés de Doliprane'],
      ['it', 'ho preso tutta la scatola di sonniferi'],
      ['en', 'my toddler drank bleach'],
    ],
    quiet: [
      ['fr', "j'ai oublié mon comprimé hier, je double la dose ?"],
      ['it', 'qual è la dose massima di tachipirina?'],
      ['en', 'I take 2 tablets a day, can I take ibuprofen too?'],
    ],
  },
  burn: {
    fire: [
      ['fr', "brûlure grave au bras avec de l'huile bouillante"],
      ['it', "mio figlio si è rovesciato l'acqua bollente addosso"],
      ['en', 'chemical burn on my face from drain cleaner'],
    ],
    quiet: [
      ['fr', "j'ai des brûlures d'estomac, renouvellement de mon traitement svp"],
      ['it', 'ho una scottatura solare leggera'],
      ['en', 'it burns when I pee'],
    ],
  },
  infant_fever: {
    fire: [
      ['fr', 'mon bébé de 5 semaines a 38,3 et il est tout mou'],
      ['it', 'la mia bimba di 2 mesi ha la febbre a 38,5 e non mangia più'],
      ['en', 'my 6 week old has a fever and is floppy and not feeding'],
    ],
    quiet: [
      ['fr', 'mon fils de 3 ans a 38,5 mais il joue et mange bien'],
      ['it', 'il neonato ha fatto il vaccino, niente febbre, mangia bene'],
      ['en', 'can my 2 month old have a fever after the vaccine?'],
    ],
  },
  pregnancy: {
    fire: [
      ['fr', 'je suis enceinte de 4 mois et je saigne'],
      ['it', 'sono incinta di 20 settimane e ho un forte dolore alla pancia'],
      ['en', "I'm pregnant and bleeding heavily"],
    ],
    quiet: [
      ['fr', 'enceinte de 3 mois, pas de saignement, je voudrais un rendez-vous'],
      ['it', 'sono incinta, posso prendere la tachipirina?'],
      ['en', "I'm 30 weeks pregnant, no bleeding, question about the scan"],
    ],
  },
  headache: {
    fire: [
      ['fr', 'mal de tête brutal, le pire de ma vie'],
      ['it', 'improvvisamente ho un mal di testa violentissimo'],
      ['en', 'sudden thunderclap headache'],
    ],
    quiet: [
      ['fr', "j'ai souvent mal à la tête le soir, renouvellement du paracétamol"],
      ['it', 'ho un leggero mal di testa da ieri'],
      ['en', 'mild headache with my cold'],
    ],
  },
  vision_loss: {
    fire: [
      ['fr', "d'un coup je ne vois plus rien de l'oeil droit"],
      ['it', "all'improvviso non vedo più niente da un occhio"],
      ['en', 'sudden loss of vision in my left eye'],
    ],
    quiet: [
      ['fr', 'je vois flou de loin, il me faut des lunettes'],
      ['it', 'rinnovo delle gocce per il glaucoma'],
      ['en', 'my eyes are itchy because of hay fever'],
    ],
  },
  violence: {
    fire: [
      ['fr', 'mon mari me frappe, aidez-moi'],
      ['it', 'il mio compagno mi sta picchiando'],
      ['en', 'my boyfriend is hitting me right now'],
    ],
    quiet: [
      ['fr', "je voudrais un certificat pour l'agression du mois dernier"],
      ['it', 'mio figlio ha fatto a botte a scuola, ha solo un livido'],
      ['en', "I'd like to talk about the abuse I went through as a child"],
    ],
  },
};

describe('detectKind', () => {
  for (const [kind, { fire, quiet }] of Object.entries(CASES)) {
    describe(kind, () => {
      it.each(fire)('[%s] fires: %s', (lang, text) => {
        expect(detectKind(text, lang)).toBe(kind);
      });
      it.each(quiet)('[%s] stays quiet: %s', (lang, text) => {
        expect(detectKind(text, lang)).toBeNull();
      });
    });
  }

  it.each([
    ['fr', 'je voudrais faire le point sur mon traitement pour le coeur'],
    ['fr', "j'ai le coeur serré depuis le décès de mon père, on peut en parler ?"],
    ['fr', 'je prends une dizaine de comprimés par jour, est-ce trop ?'],
    ['fr', "est-ce qu'on peut mélanger alcool et médicaments ?"],
    ['fr', 'je me noie sous les papiers, il me faut un arrêt de travail'],
    ['it', 'ho perso peso, va bene per il cuore?'],
    ['it', 'mi si stringe il cuore a vedere mia madre così, possiamo parlarne?'],
    ['en', "I'd like help losing weight for my heart"],
    ['en', 'I have a heavy heart since my divorce'],
    ['en', "I can't understand what the specialist said"],
    ['en', 'I decided to end my contraceptive pill'],
    ['en', "I'm drowning in paperwork, I need a sick note"],
    ['en', 'I take ten tablets a day, is that a lot?'],
    ['en', "my boss won't let me leave early for the appointment"],
    ['fr', "je n'ai jamais eu de convulsion, le neurologue veut un EEG"],
    ['en', "I've never had a seizure but the neurologist wants an EEG"],
  ] as const)('[%s] ignores everyday idioms: %s', (lang, text) => {
    expect(detectKind(text, lang)).toBeNull();
  });

  it('reads every language whatever the interface language', () => {
    expect(detectKind('nn riesco a respirare', 'fr')).toBe('breathing');
    expect(detectKind("j'ai très mal à la poitrine", 'en')).toBe('chest_pain');
    expect(detectKind('I want to kill myself', 'it')).toBe('suicide');
  });

  it('fires on an emergency written inside a routine request', () => {
    expect(
      detectKind('Bonjour, je voudrais mon ordonnance. Et depuis ce matin je saigne beaucoup du nez', 'fr'),
    ).toBe('bleeding');
  });

  it('is not fooled by empty, huge or odd input', () => {
    expect(detectKind('', 'fr')).toBeNull();
    expect(detectKind('🙂🙂🙂 ??? !!!', 'en')).toBeNull();
    expect(detectKind('a'.repeat(10_000), 'it')).toBeNull();
  });

  it('checks a 5,000-character message in about a millisecond or less', () => {
    const filler = 'Bonjour docteur, je voudrais renouveler mon ordonnance et prendre rendez-vous. ';
    const text = `${filler.repeat(70)}j'ai une douleur thoracique`.slice(-5000);
    expect(detectKind(text, 'fr')).toBe('chest_pain');
    for (let i = 0; i < 20; i++) detectKind(text, 'fr');
    // Best of several rounds: test machines are shared, the point is to catch an accidental blow-up.
    let best = Number.POSITIVE_INFINITY;
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      for (let i = 0; i < 20; i++) detectKind(text, 'fr');
      best = Math.min(best, (performance.now() - start) / 20);
    }
    expect(best).toBeLessThan(3);
  });
});

describe('concept rules shared by every language', () => {
  it.each([
    ['en', "after eating kiwi my son's lips are huge", 'anaphylaxis'],
    ['fr', 'après le kiwi, ses lèvres sont énormes', 'anaphylaxis'],
    ['it', 'dopo il kiwi ha le labbra enormi', 'anaphylaxis'],
    ['en', 'mum is passing a lot of bright red blood', 'bleeding'],
    ['it', 'ha le feci nere ed è pallidissima', 'bleeding'],
    ['fr', "j'ai acheté une corde, je ne vois plus d'autre solution", 'suicide'],
    ['en', 'I bought a rope, there is no other way out', 'suicide'],
    ['it', 'mi butto sotto il treno', 'suicide'],
    ['en', 'mum took three times her digoxin dose', 'overdose'],
    ['fr', 'il a pris trois fois sa dose de lithium', 'overdose'],
    ['it', 'ha preso dieci volte la dose di metotrexato', 'overdose'],
    ['en', 'the sight in my left eye went', 'vision_loss'],
    ['it', "la vista dall'occhio sinistro se n'è andata", 'vision_loss'],
    ['en', 'out of nowhere a terrible pain at the back of my head', 'headache'],
    ['fr', 'nuque raide et 39 de fièvre', 'headache'],
    ['en', 'my 5 week old has a fever', 'infant_fever'],
    ['fr', 'enceinte de 8 mois, je crois que j’ai perdu les eaux', 'pregnancy'],
    ['it', 'il mio compagno mi ha messo le mani al collo', 'violence'],
    ['en', 'he is threatening me with a knife', 'violence'],
    ['fr', 'essoufflé même au repos', 'breathing'],
  ] as const)('[%s] fires: %s', (lang, text, kind) => {
    expect(detectKind(text, lang)).toBe(kind);
  });

  it.each([
    ['fr', "J'ai lu qu'il fallait appeler le 15 en cas d'AVC, c'est vrai la nuit aussi ?"],
    ['en', '2 month old baby, vaccines tomorrow, can she get a fever afterwards?'],
    ['fr', 'il doit prendre 3 fois par jour la dose de 500 mg ?'],
    ['en', 'my lips are dry and my throat is sore'],
    ['fr', 'il a du mal à avaler mais respire bien'],
    ['en', 'I found out my mother overdosed on pills when she was young'],
    ['en', 'small burn on my finger with a blister, what cream?'],
    ['it', 'ho la nuca rigida dopo la palestra, niente febbre'],
    ['fr', 'ma vue baisse un peu pour lire'],
  ] as const)('[%s] stays quiet: %s', (lang, text) => {
    expect(detectKind(text, lang)).toBeNull();
  });

  it('combines concepts in any order, but not across sentences or a "but"', () => {
    expect(detectKind('huge lips after the peanut', 'en')).toBe('anaphylaxis');
    expect(detectKind('my lips. The bill was huge.', 'en')).toBeNull();
    expect(detectKind('I find it hard to swallow but I breathe fine', 'en')).toBeNull();
  });

  it('is phrased in every language', () => {
    const used = new Set(
      SHARED_RULES.flatMap((rule) =>
        [rule.any, rule.unless, ...(rule.all ?? []), ...(rule.near ?? [])].flatMap((group) => group ?? []),
      ).filter((source) => source.startsWith('%')),
    );
    expect(used.size).toBeGreaterThan(20);
    for (const lexicon of [lexiconFr, lexiconIt, lexiconEn]) {
      for (const concept of used)
        expect(lexicon.concepts[concept.slice(1)], `${lexicon.lang} ${concept}`).toBeDefined();
    }
  });

  it('reads number words as digits', () => {
    expect(detectKind('she took twenty paracetamol', 'en')).toBe('overdose');
    expect(detectKind('ha preso venti tachipirine', 'it')).toBe('overdose');
  });
});

describe('checkEmergency', () => {
  it('returns the numbers for the situation and country', () => {
    const result = checkEmergency('je veux me suicider', 'fr', 'FR');
    expect(result.emergency).toBe(true);
    expect(result.kind).toBe('suicide');
    expect(result.numbers.map((n) => n.number)).toEqual(['3114', '15', '112', '114']);
  });

  it('returns no numbers for a routine message', () => {
    expect(checkEmergency('merci pour l’ordonnance', 'fr', 'FR')).toEqual({
      emergency: false,
      kind: null,
      numbers: [],
    });
  });
});

describe('emergencyNumbers', () => {
  const numbers = (...args: Parameters<typeof emergencyNumbers>): string[] =>
    emergencyNumbers(...args).map((n) => n.number);

  it('France: SAMU first, 3114 first for suicide, police first for violence', () => {
    expect(numbers('FR', 'fr', 'chest_pain')).toEqual(['15', '112', '114']);
    expect(numbers('FR', 'fr', 'suicide')).toEqual(['3114', '15', '112', '114']);
    expect(numbers('FR', 'fr', 'violence')).toEqual(['17', '112', '114']);
  });

  it('Italy: 112 then 118, 112 alone for violence', () => {
    expect(numbers('IT', 'it', 'stroke')).toEqual(['112', '118']);
    expect(numbers('IT', 'it', 'suicide')).toEqual(['112', '118']);
    expect(numbers('IT', 'en', 'violence')).toEqual(['112']);
  });

  it('gives the general notice without a situation', () => {
    expect(numbers('FR', 'fr')).toEqual(['15', '112', '114', '3114']);
    expect(numbers('FR', 'en', null)).toEqual(['15', '112', '114', '3114']);
    expect(numbers('IT', 'it')).toEqual(['112', '118']);
  });

  it('marks 114 as a text-message line and labels numbers in the patient language', () => {
    const sms = emergencyNumbers('FR', 'en').find((n) => n.number === '114');
    expect(sms?.kind).toBe('sms');
    expect(emergencyNumbers('FR', 'fr')[0]?.label).toMatch(/SAMU/);
    const labels = (['fr', 'it', 'en'] as const).map((lang) => emergencyNumbers('IT', lang)[1]?.label);
    expect(new Set(labels).size).toBe(3);
    for (const n of emergencyNumbers('FR', 'it')) expect(n.label.length).toBeGreaterThan(3);
  });
});

// holdout.jsonl was written before the rules but has been read since: its gate allows one slip per
// language (about 24 emergencies and 33 routine messages each) rather than the eval target.
describe('measured quality on test/fixtures/safety/holdout.jsonl', () => {
  const messages = loadSet('holdout');

  it.each(LANGS)('%s keeps recall >= 95 %% and at most one false positive', (lang) => {
    const figures = evaluate(messages.filter((m) => m.lang === lang));
    expect(figures.recall, figures.misses.map((m) => m.text).join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(figures.falsePositives.length).toBeLessThanOrEqual(1);
  });
});

describe('measured quality on test/fixtures/safety/eval.jsonl', () => {
  const messages = loadSet('eval');

  it('covers every situation in every language', () => {
    for (const lang of LANGS) {
      const kinds = new Set(messages.filter((m) => m.lang === lang && m.emergency).map((m) => m.kind));
      expect(kinds.size).toBe(Object.keys(CASES).length);
      expect(messages.filter((m) => m.lang === lang).length).toBeGreaterThanOrEqual(200);
    }
  });

  it.each(LANGS)('%s meets the recall and false-positive targets', (lang) => {
    const figures = evaluate(messages.filter((m) => m.lang === lang));
    expect(figures.recall, figures.misses.map((m) => m.text).join('\n')).toBeGreaterThanOrEqual(
      TARGET_RECALL,
    );
    expect(
      figures.falsePositiveRate,
      figures.falsePositives.map((f) => f.message.text).join('\n'),
    ).toBeLessThanOrEqual(TARGET_FALSE_POSITIVE_RATE);
  });
});
