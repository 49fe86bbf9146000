/**
 * Rules shared by every language, written as combinations of concepts rather than as phrasings.
 *
 * A patient describes an emergency with a few ideas (a symptom, a body part, how bad, how sudden, a
 * means of harm), in whatever order and words come to them. Each language says how it phrases each
 * idea ("%name": lexicon.*.concepts, "@name": lexicon.*.classes); the rules below say which ideas, met
 * together, make an emergency. A rule therefore exists in every language at once, and a new phrasing of
 * an idea serves every rule that uses it. Compilation fails when a language lacks a concept.
 *
 * `near` groups must meet in one sentence, within `window` words, in any order; `all` groups anywhere
 * in the message. Every match still goes through the context checks (negation, past, paperwork…).
 */
import type { RuleSource } from './types';

/** Medicine names patients use, the same in every language (brands of France and Italy included). */
export const SHARED_CLASSES: Readonly<Record<string, string>> = {
  drug:
    'paracetamol* paracétamol* doliprane* dafalgan* efferalgan* tachipirin* tylenol calpol ' +
    'ibuprof* advil* nurofen* brufen* aspirin* aspégic kardegic cardioaspirin* ' +
    'xanax alprazolam* lexomil bromazepam* valium diazepam* lorazepam* temesta tavor lormetazepam* ' +
    'zolpidem stilnox zopiclone imovane en tramadol* codein* codéin* morphin* oxycodon* fentanyl* ' +
    'digoxin* digoxine digossin* lanoxin methotrexat* méthotrexate metotrexat* lithium litio ' +
    'insulin* insuline insulina warfarin* coumadin* previscan sintrom eliquis xarelto ' +
    'sertralin* fluoxetin* prozac paroxetin* deroxat seroquel quetiapin* levothyrox* eutirox',
};

export const SHARED_RULES: readonly RuleSource[] = [
  // Chest pain: a crushing or squeezing pain that spreads to the jaw or the left arm.
  { kind: 'chest_pain', near: [['%pressure'], ['%radiation']], window: 12 },

  // Stroke: a limb or the face that suddenly stops working, or on one side; speech that goes wrong.
  // (A numb left arm with a weight on the chest is the heart's, not a stroke.)
  {
    kind: 'stroke',
    near: [['@limb', '@face'], ['%limpness'], ['@sudden', '%side']],
    window: 8,
    unless: ['@chest'],
    unlessAnywhere: true,
  },
  { kind: 'stroke', any: ['%speech'] },
  { kind: 'stroke', all: [['%limpness'], ['%speech']] },

  // Breathing: the act of breathing said to be hard, whatever the word for "hard".
  {
    kind: 'breathing',
    near: [['%breathe'], ['%hardship']],
    window: 3,
    unless: ['%breathingroutine'],
  },
  { kind: 'breathing', near: [['%bodyskin'], ['%cyanosis']], window: 4 },
  { kind: 'breathing', near: [['%breathless'], ['%atrest']], window: 6 },

  // Anaphylaxis: lips, tongue, throat swollen or "huge"; swelling all over after an allergen or hives.
  { kind: 'anaphylaxis', near: [['%softpart'], ['%swollen']], window: 4 },
  { kind: 'anaphylaxis', near: [['%lips'], ['%huge']], window: 4 },
  { kind: 'anaphylaxis', all: [['%allergy'], ['%swellall']] },

  // Bleeding: blood in quantity; blood in the stool or black stools with signs of shock.
  { kind: 'bleeding', near: [['%blood'], ['%much']], window: 4, unless: ['%bloodroutine'] },
  { kind: 'bleeding', all: [['%gutbleed'], ['%shock']] },

  // Seizure: jerks of the whole body.
  { kind: 'seizure', near: [['%jerks'], ['%wholebody']], window: 5 },

  // Suicide: a means of harm, a farewell or a plan together with despair, or thoughts of death with a time.
  { kind: 'suicide', all: [['%means'], ['%despair', '%farewell', '%absent']] },
  { kind: 'suicide', all: [['%farewell'], ['%despair', '%absent']] },
  { kind: 'suicide', all: [['%deaththought'], ['%plan']] },
  { kind: 'suicide', near: [['%selfharm'], ['%means']], window: 6 },
  // A gun or a rope taken out while a life falls apart ("my wife left with the kids, I got the rifle out").
  { kind: 'suicide', all: [['%lethalmeans'], ['%loss', '%despair']] },

  // Overdose: a multiple of the prescribed dose, or a count of pills or a whole pack swallowed.
  { kind: 'overdose', any: ['%multidose'], unless: ['%perday'] },
  { kind: 'overdose', any: ['%swallowedmany'] },

  // Vision: the sight "went"; a sudden black or a curtain in one eye.
  { kind: 'vision_loss', near: [['%sight'], ['%gone']], window: 8 },
  { kind: 'vision_loss', near: [['%eye'], ['%dark'], ['@sudden']], window: 8 },

  // Headache: head pain that is sudden, the worst ever, or like an explosion.
  { kind: 'headache', near: [['%headpain'], ['%headsudden']], window: 10 },
  // A sudden or worst-ever head pain with a stiff neck (a bleed), even without the word "headache".
  { kind: 'headache', near: [['%stiffneck'], ['%headsudden']], window: 12 },
  // Meningitis: a stiff neck with fever.
  { kind: 'headache', all: [['%stiffneck'], ['%fever']] },

  // Pregnancy: waters broken, visual disturbance (pre-eclampsia), a baby that stops moving.
  { kind: 'pregnancy', all: [['%pregnant'], ['%obstetric']] },

  // Burn: a burn with signs of depth (blisters, white or black skin), unless small or a figure of speech.
  { kind: 'burn', near: [['%burnword'], ['%burnsevere']], window: 8, unless: ['%minorburn'] },

  // Infant fever: any fever in a baby under three months.
  { kind: 'infant_fever', all: [['%younginfant'], ['%fever']] },

  // Violence: a partner or relative who strangles, or a threat with a weapon.
  { kind: 'violence', near: [['%perpetrator'], ['%strangle']], window: 8 },
  { kind: 'violence', near: [['%threat'], ['%weapon']], window: 8 },
  // Afraid to go home because of a partner.
  { kind: 'violence', all: [['%perpetrator'], ['%fearhome']] },
];
