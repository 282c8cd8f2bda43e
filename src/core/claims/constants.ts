/**
 * The claims checker's names and defaults, apart from the checker so that the editor can read them
 * at activation without loading the model.
 */

/** The rule id of every claims message. */
export const CLAIM_RULE_ID = 'claim-without-source';
/** The rule id of the message saying a paragraph was not checked because of its language. */
export const UNCHECKED_LANGUAGE_RULE_ID = 'claims-language-not-checked';
/**
 * Languages the claims checker judges (ISO 639-1). Paragraphs detected as another language are
 * reported as not checked; `und` (too short or mixed to tell) is checked like the rest.
 */
export const CLAIMS_LANGUAGES: readonly string[] = ['en', 'ko'];
/** The `source` of every claims message. */
export const CLAIM_SOURCE = 'biowrite';
/** Fallback threshold when the model file names none; the shipped model suggests its own (see `suggestedThreshold`). */
export const DEFAULT_THRESHOLD = 0.3;
/**
 * Sections not checked by default, the same as the `biowrite.claims.skipSections` setting.
 * Methods and Results are checked: the model already scores the authors' own work low there, and
 * methods sentences that name a tool or data set are exactly the ones readers expect a source for.
 */
export const DEFAULT_SKIP_SECTIONS: readonly string[] = [
  'Acknowledgements',
  'Acknowledgments',
  'References',
  'Author contributions',
  'Funding',
  'Competing interests',
  'Data availability',
  'Supplementary',
];
