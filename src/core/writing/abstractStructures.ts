/**
 * Abstract structures: IMRaD, unstructured, journal presets, and the CONSORT and PRISMA checklists
 * for abstracts, with their headings, word limits and checklist items.
 */

/** One item of a reporting checklist for abstracts. */
export interface ChecklistItem {
  /** Stable id, used in the model's JSON answer. */
  readonly id: string;
  readonly label: string;
  /** What the abstract must say. */
  readonly description: string;
  /** Words that suggest the item is covered, for the offline fallback check (lower case, any matches). */
  readonly cues: readonly string[];
}

/** An abstract structure the user can pick. */
export interface AbstractStructure {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** Section headings, in order; empty for an unstructured abstract. */
  readonly headings: readonly string[];
  /** The word limit this structure implies. */
  readonly defaultWordLimit: number;
  /** The reporting checklist to check the draft against (optional). */
  readonly checklist?: readonly ChecklistItem[];
  /** The language the preset is for (optional; absent: any). Picking the preset proposes it. */
  readonly language?: string;
  /**
   * The limit in the unit the journals of `language` count (optional; absent: `defaultWordLimit`
   * words). Korean journals count characters with spaces (자).
   */
  readonly defaultLength?: { readonly limit: number; readonly unit: 'words' | 'characters' | 'charactersWithSpaces' };
}

/** CONSORT 2010 for abstracts (Hopewell et al. 2008), the items an abstract's text must carry. */
export const consortAbstractItems: readonly ChecklistItem[] = [
  { id: 'trialDesign', label: 'Trial design', description: 'Description of the trial design (e.g. parallel, cluster, non-inferiority).', cues: ['parallel', 'cluster', 'crossover', 'cross-over', 'non-inferiority', 'noninferiority', 'factorial', 'double-blind', 'open-label', 'randomised', 'randomized'] },
  { id: 'participants', label: 'Participants', description: 'Eligibility criteria for participants and the settings where the data were collected.', cues: ['eligible', 'inclusion', 'aged', 'adults', 'patients with', 'participants', 'recruited from', 'hospitals', 'centres', 'centers'] },
  { id: 'interventions', label: 'Interventions', description: 'Interventions intended for each group.', cues: ['received', 'assigned to', 'placebo', 'versus', 'vs', 'mg', 'dose', 'intervention', 'control group'] },
  { id: 'objective', label: 'Objective', description: 'Specific objective or hypothesis.', cues: ['objective', 'aim', 'we assessed', 'we evaluated', 'to determine', 'to assess', 'to evaluate', 'hypothes'] },
  { id: 'outcome', label: 'Outcome', description: 'Clearly defined primary outcome for this report.', cues: ['primary outcome', 'primary end point', 'primary endpoint', 'main outcome'] },
  { id: 'randomisation', label: 'Randomisation', description: 'How participants were allocated to interventions.', cues: ['randomly assigned', 'randomised', 'randomized', 'randomisation', 'randomization', 'allocation', 'allocated'] },
  { id: 'blinding', label: 'Blinding (masking)', description: 'Whether participants, care givers and those assessing the outcomes were blinded to group assignment.', cues: ['blind', 'masked', 'masking', 'open-label', 'open label'] },
  { id: 'numbersRandomised', label: 'Numbers randomised', description: 'Number of participants randomised to each group.', cues: ['were randomly assigned', 'were randomised', 'were randomized', 'randomised to', 'randomized to', 'assigned to'] },
  { id: 'recruitment', label: 'Recruitment', description: 'Trial status (recruitment dates or whether recruitment is complete).', cues: ['between', 'recruited', 'enrolled', 'enrollment', 'enrolment', 'from 20', 'to 20'] },
  { id: 'numbersAnalysed', label: 'Numbers analysed', description: 'Number of participants analysed in each group.', cues: ['analysed', 'analyzed', 'included in the analysis', 'intention-to-treat', 'intention to treat', 'per-protocol'] },
  { id: 'primaryResult', label: 'Outcome result', description: 'For the primary outcome, a result for each group and the estimated effect size and its precision.', cues: ['95% ci', 'confidence interval', 'hazard ratio', 'odds ratio', 'risk ratio', 'difference', 'p=', 'p =', 'p<', 'p <'] },
  { id: 'harms', label: 'Harms', description: 'Important adverse events or side-effects.', cues: ['adverse', 'side effect', 'side-effect', 'harms', 'toxicity', 'safety', 'serious'] },
  { id: 'conclusions', label: 'Conclusions', description: 'General interpretation of the results.', cues: ['conclusion', 'interpretation', 'suggest', 'indicate', 'support', 'we conclude'] },
  { id: 'trialRegistration', label: 'Trial registration', description: 'Registration number and name of trial register.', cues: ['registration', 'registered', 'clinicaltrials.gov', 'nct', 'isrctn', 'eudract', 'anzctr'] },
  { id: 'funding', label: 'Funding', description: 'Source of funding.', cues: ['funded', 'funding', 'grant', 'supported by', 'sponsor'] },
];

/** PRISMA 2020 for abstracts (Page et al. 2021), items 2–12 (the title, item 1, is not part of the abstract). */
export const prismaAbstractItems: readonly ChecklistItem[] = [
  { id: 'objectives', label: 'Objectives', description: 'An explicit statement of the main objective(s) or question(s) the review addresses.', cues: ['objective', 'aim', 'we assessed', 'to assess', 'to evaluate', 'to determine', 'question'] },
  { id: 'eligibility', label: 'Eligibility criteria', description: 'The inclusion and exclusion criteria for the review.', cues: ['eligib', 'inclusion', 'included studies that', 'we included', 'exclusion', 'criteria'] },
  { id: 'informationSources', label: 'Information sources', description: 'The information sources (e.g. databases, registers) used to identify studies and the date when each was last searched.', cues: ['medline', 'embase', 'pubmed', 'cochrane', 'web of science', 'scopus', 'searched', 'databases', 'cinahl'] },
  { id: 'riskOfBias', label: 'Risk of bias', description: 'The methods used to assess risk of bias in the included studies.', cues: ['risk of bias', 'rob 2', 'robins', 'newcastle', 'quality assessment', 'grade', 'certainty'] },
  { id: 'synthesisMethods', label: 'Synthesis of results', description: 'The methods used to present and synthesise results.', cues: ['meta-analys', 'random-effects', 'random effects', 'fixed-effect', 'pooled', 'synthes', 'narrative'] },
  { id: 'includedStudies', label: 'Included studies', description: 'The total number of included studies and participants and relevant characteristics of studies.', cues: ['studies', 'trials', 'participants', 'included'] },
  { id: 'synthesisResults', label: 'Results of syntheses', description: 'Results for main outcomes, preferably the number of included studies and participants for each, with summary estimate and confidence interval.', cues: ['95% ci', 'confidence interval', 'pooled', 'risk ratio', 'odds ratio', 'mean difference', 'i2', 'i²'] },
  { id: 'limitations', label: 'Limitations of evidence', description: 'A brief summary of the limitations of the evidence included in the review (e.g. risk of bias, inconsistency, imprecision).', cues: ['limitation', 'heterogeneity', 'imprecision', 'inconsisten', 'low certainty', 'risk of bias', 'small number'] },
  { id: 'interpretation', label: 'Interpretation', description: 'A general interpretation of the results and important implications.', cues: ['conclusion', 'interpretation', 'suggest', 'implication', 'indicate', 'support'] },
  { id: 'funding', label: 'Funding', description: 'The primary source of funding for the review.', cues: ['funded', 'funding', 'grant', 'supported by'] },
  { id: 'registration', label: 'Registration', description: 'The register name and registration number.', cues: ['prospero', 'crd4', 'registration', 'registered', 'osf'] },
];

/** Every structure, built-ins first, then journal presets. */
export const abstractStructures: readonly AbstractStructure[] = [
  { id: 'imrad', label: 'IMRaD structured', description: 'Background, Methods, Results, Conclusions.', headings: ['Background', 'Methods', 'Results', 'Conclusions'], defaultWordLimit: 250 },
  { id: 'unstructured', label: 'Unstructured', description: 'One paragraph without headings.', headings: [], defaultWordLimit: 250 },
  {
    id: 'consort',
    label: 'CONSORT for abstracts (randomised trials)',
    description: 'Structured for a randomised trial and checked against the CONSORT abstract checklist.',
    headings: ['Background', 'Methods', 'Results', 'Conclusions', 'Trial registration', 'Funding'],
    defaultWordLimit: 300,
    checklist: consortAbstractItems,
  },
  {
    id: 'prisma',
    label: 'PRISMA 2020 for abstracts (systematic reviews)',
    description: 'Structured for a systematic review and checked against the PRISMA abstract checklist.',
    headings: ['Background', 'Methods', 'Results', 'Discussion', 'Other'],
    defaultWordLimit: 300,
    checklist: prismaAbstractItems,
  },
  { id: 'nejm', label: 'NEJM style', description: 'Background, Methods, Results, Conclusions; 250 words.', headings: ['Background', 'Methods', 'Results', 'Conclusions'], defaultWordLimit: 250 },
  { id: 'lancet', label: 'The Lancet style', description: 'Background, Methods, Findings, Interpretation, Funding; 300 words.', headings: ['Background', 'Methods', 'Findings', 'Interpretation', 'Funding'], defaultWordLimit: 300 },
  { id: 'bmj', label: 'BMJ style', description: 'Objective, Design, Setting, Participants, Main outcome measures, Results, Conclusions; 300 words.', headings: ['Objective', 'Design', 'Setting', 'Participants', 'Main outcome measures', 'Results', 'Conclusions'], defaultWordLimit: 300 },
  {
    id: 'jama',
    label: 'JAMA style',
    description: 'Importance, Objective, Design/Setting/Participants, Exposures, Main Outcomes and Measures, Results, Conclusions and Relevance; 350 words.',
    headings: ['Importance', 'Objective', 'Design, Setting, and Participants', 'Exposures', 'Main Outcomes and Measures', 'Results', 'Conclusions and Relevance'],
    defaultWordLimit: 350,
  },
  { id: 'plosmed', label: 'PLOS Medicine style', description: 'Background, Methods and findings, Conclusions; 350 words.', headings: ['Background', 'Methods and findings', 'Conclusions'], defaultWordLimit: 350 },
  // Korean journals ask for a Korean abstract (국문 초록) beside the English one, limited in 자.
  {
    id: 'ko-structured',
    label: 'Korean structured abstract (국문 초록)',
    description: '목적, 방법, 결과, 결론; 500자 (characters with spaces), the limit most Korean medical journals set: check yours.',
    headings: ['목적', '방법', '결과', '결론'],
    defaultWordLimit: 250,
    language: 'ko',
    defaultLength: { limit: 500, unit: 'charactersWithSpaces' },
  },
  {
    id: 'ko-unstructured',
    label: 'Korean unstructured abstract (국문 초록, 단락)',
    description: 'One paragraph; 500자 (characters with spaces).',
    headings: [],
    defaultWordLimit: 250,
    language: 'ko',
    defaultLength: { limit: 500, unit: 'charactersWithSpaces' },
  },
];

/**
 * The limit and unit a structure proposes for an abstract in `language`: its own length when it
 * is a preset for that language, else its word limit converted to the language's usual unit.
 * @param structure The structure.
 * @param language The abstract's language code.
 * @param unit The unit the abstract is counted in.
 */
export function suggestedLength(structure: AbstractStructure, language: string, unit: 'words' | 'characters' | 'charactersWithSpaces'): number {
  if (structure.defaultLength && structure.language === language.toLowerCase().split('-')[0] && structure.defaultLength.unit === unit) return structure.defaultLength.limit;
  if (unit === 'words') return structure.defaultWordLimit;
  // About three characters with spaces a word in Korean, two characters in Chinese and Japanese.
  return Math.round((structure.defaultWordLimit * (unit === 'charactersWithSpaces' ? 3 : 2)) / 50) * 50;
}

/**
 * Finds a structure by id (case-insensitive).
 * @param id A structure id such as `imrad`, `consort` or `lancet`.
 * @returns The structure, or `undefined`.
 */
export function findAbstractStructure(id: string): AbstractStructure | undefined {
  const wanted = id.trim().toLowerCase();
  return abstractStructures.find((structure) => structure.id === wanted);
}

/** Common languages of biomedical publishing, code → English name. */
export const publishingLanguages: Readonly<Record<string, string>> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  pt: 'Portuguese',
  'pt-BR': 'Brazilian Portuguese',
  it: 'Italian',
  zh: 'Chinese (Simplified)',
  ja: 'Japanese',
  ko: 'Korean',
  ru: 'Russian',
  nl: 'Dutch',
  pl: 'Polish',
  tr: 'Turkish',
  ar: 'Arabic',
  fa: 'Persian',
  id: 'Indonesian',
};

/**
 * The English name of a language code, or the code itself when unknown.
 * @param code A language code such as `fr` or `pt-BR`, or a language name.
 * @returns A name to put in a prompt.
 */
export function languageName(code: string): string {
  const trimmed = code.trim();
  const exact = Object.entries(publishingLanguages).find(([key]) => key.toLowerCase() === trimmed.toLowerCase());
  if (exact) return exact[1];
  const base = publishingLanguages[trimmed.split(/[-_]/)[0].toLowerCase()];
  return base ? `${base} (${trimmed})` : trimmed;
}
