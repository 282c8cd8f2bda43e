/**
 * Finds likely patient identifiers in text before it leaves the machine: names next to dates of birth,
 * ages or record numbers (Latin script with accents and apostrophes, Korean, Chinese, Japanese), dates of
 * birth, medical record numbers, phone numbers (national and international formats), street addresses
 * (number-first and street-first), exact admission and discharge dates, e-mail addresses and national
 * identifiers (US SSN, UK NHS number, Dutch BSN, Korean resident registration number, Chinese resident
 * id, Japanese My Number, Swedish personnummer, Italian codice fiscale, French NIR and labelled others).
 * Tuned so that a normal manuscript (p-values, study periods, sample sizes, CIs, registry ids) raises
 * nothing. Every pattern is bounded so that a scan stays linear in the length of the text.
 */
import * as l10n from '@vscode/l10n';

/** What an identifier is. */
export type IdentifierKind = 'name' | 'dateOfBirth' | 'medicalRecordNumber' | 'phone' | 'address' | 'date' | 'email' | 'nationalId';

/** One likely identifier. */
export interface IdentifierFinding {
  readonly kind: IdentifierKind;
  /** The identifier as written. */
  readonly text: string;
  /** Offsets in the scanned text. */
  readonly start: number;
  readonly end: number;
}

/** The placeholder each kind is redacted to. */
export const redactionLabels: Readonly<Record<IdentifierKind, string>> = {
  name: '[REDACTED-NAME]',
  dateOfBirth: '[REDACTED-DOB]',
  medicalRecordNumber: '[REDACTED-MRN]',
  phone: '[REDACTED-PHONE]',
  address: '[REDACTED-ADDRESS]',
  date: '[REDACTED-DATE]',
  email: '[REDACTED-EMAIL]',
  nationalId: '[REDACTED-ID]',
};

/**
 * A count of one kind, in the user's language, e.g. "1 phone number" or "2 phone numbers". Each kind has its
 * own singular and plural message, so that translators choose the forms rather than an English suffix.
 * @param kind The kind.
 * @param count How many (at least 1).
 * @returns The phrase.
 */
export function countIdentifierKind(kind: IdentifierKind, count: number): string {
  const one = count === 1;
  switch (kind) {
    case 'name':
      return one ? l10n.t('1 patient name') : l10n.t('{0} patient names', count);
    case 'dateOfBirth':
      return one ? l10n.t('1 date of birth') : l10n.t('{0} dates of birth', count);
    case 'medicalRecordNumber':
      return one ? l10n.t('1 medical record number') : l10n.t('{0} medical record numbers', count);
    case 'phone':
      return one ? l10n.t('1 phone number') : l10n.t('{0} phone numbers', count);
    case 'address':
      return one ? l10n.t('1 street address') : l10n.t('{0} street addresses', count);
    case 'date':
      return one ? l10n.t('1 exact admission or visit date') : l10n.t('{0} exact admission or visit dates', count);
    case 'email':
      return one ? l10n.t('1 e-mail address') : l10n.t('{0} e-mail addresses', count);
    case 'nationalId':
      return one ? l10n.t('1 national identifier') : l10n.t('{0} national identifiers', count);
  }
}

// Pattern pieces are written with String.raw so that a backslash in the source is a backslash in the regex.
const raw = String.raw;

// Numbers may touch Hangul or Han characters (Korean particles, Japanese text has no spaces) but not Latin
// letters, digits or the punctuation of decimals, ranges, DOIs and accession numbers.
const numberStart = raw`(?<![\p{sc=Latin}\p{sc=Greek}\p{N}_.,/:#@=+\-–])`;
const numberEnd = raw`(?![\p{sc=Latin}\p{N}_]|[.,\-/–]\d)`;

const englishMonth = 'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
// German, French, Spanish, Dutch and Italian names that the English abbreviations do not already cover.
const otherMonth =
  'Januar|Februar|März|Maerz|Mai|Juni|Juli|Oktober|Dezember|janvier|février|fevrier|mars|avril|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|januari|februari|maart|mei|augustus|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre';
const month = `(?:${englishMonth}|${otherMonth})\\.?`;
const cjkDigit = '[0-9０-９]';
/** 1962年3月14日, 1962년 3월 14일, 昭和37年3月14日 (full-width digits too). */
const cjkDate = raw`(?:(?:明治|大正|昭和|平成|令和)\s?(?:${cjkDigit}{1,2}|元)|${cjkDigit}{4})\s?[年년]\s?${cjkDigit}{1,2}\s?[月월]\s?${cjkDigit}{1,2}\s?[日일]`;
/** A date with its day: 03/14/1962, 14.03.1962, 1962-03-14, 14 March 1962, 14. März 1962, 14 de marzo de 1962, 14-Mar-1962, March 14, 1962, and the CJK forms. */
const fullDate = raw`(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}(?!\d)|\d{1,2}-${month}-(?:\d{4}|\d{2})(?!\d)|\d{1,2}(?:st|nd|rd|th|er|\.)?\s{0,2}(?:de\s{1,2})?${month}(?:\s{1,2}de)?,?\s{1,3}\d{4}|${month}\s{1,3}\d{1,2}(?:st|nd|rd|th)?,?\s{1,3}\d{4}|${cjkDate})`;

/** One capitalised name: José, Álvarez, O’Connor, McDonald, Dell'Acqua, Anne-Marie (length-bounded, so linear). */
const nameWord = raw`(?:\p{Lu}['’ʼ])?\p{Lu}[\p{Ll}\p{M}]{1,24}(?:['’ʼ\-]?\p{Lu}[\p{Ll}\p{M}]{1,24}){0,2}`;
// Lower-case particles and the Irish Ó stand between the parts of a name without being capitalised words.
const nameParticle = raw`(?:van|von|der|den|de|del|della|di|da|do|dos|das|du|la|le|ten|ter|zu|bin|binti|ibn|al|el|y|Ó|Ní|Uí|Ua)`;
const nameGap = raw`[ \t\u00a0]{1,2}`;
const namePart = `(?:${nameParticle}${nameGap}){0,3}${nameWord}`;
// Sentence-initial function words are capitalised too; a name does not start with them.
const notNameStart = raw`(?!(?:The|This|That|These|Those|In|On|At|Of|For|From|With|By|To|And|But|Or|Our|We|Their|His|Her|Its|A|An|As|If|When|While|After|Before|During|Among|All|Both|Each|Every|Some|No|Not|Mean|Median)(?![\p{L}\p{M}]))`;
const nameEnd = raw`(?![\p{L}\p{M}])`;
/** A full name: two or three parts, an optional middle initial, particles between parts. */
const personName = `${notNameStart}${nameWord}(?:${nameGap}\\p{Lu}\\.)?(?:${nameGap}${namePart}){1,2}${nameEnd}`;
/** After a title the surname alone is a name. */
const titledName = `${nameWord}(?:${nameGap}${namePart}){0,2}${nameEnd}`;
const hanKana = raw`[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}ー]`;
const koreanSurname =
  '(?:남궁|황보|제갈|선우|독고|사공|서문|김|이|박|최|정|강|조|윤|장|임|한|오|서|신|권|황|안|송|류|유|홍|전|고|문|양|손|배|백|허|남|심|노|하|곽|성|차|주|우|구|민|진|나|지|엄|채|원|천|방|공|현|함|변|염|여|추|도|소|석|선|설|마|길|연|위|표|명|기|반|왕|금|옥|육|인|맹|제|모|탁|국|어|은|편|용|예|경|봉|사|부|태|목|형|계|피|두|감|음|빈|동|온|호|범|좌|팽|승|간|상|갈|시|화|견|당)';

const streetType = '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Rue|Straße|Strasse|Calle|Via)';
// "Blockade", "Brigade", "Spring" end like street words (kade, gade, ring); those suffixes are left out.
const streetSuffix = raw`(?:straße|strasse|str\.|weg|gasse|platz|allee|damm|ufer|chaussee|straat|laan|gracht|plein|singel|dijk|steeg|gatan|vägen|veien|vej|Straße|Strasse|Weg|Gasse|Platz|Allee|Damm|Ufer|Chaussee|Straat|Laan|Plein)`;
const separateStreetType = raw`(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Damm|Ufer|Chaussee|Straat|Laan|Gatan|Vej)`;
const romanceParticle = raw`(?:de|du|des|la|le|les|del|della|delle|dei|degli|di|da|do|dos|das|dell['’]|l['’]|d['’])`;
const typeFirstName = `(?:${romanceParticle}[ \\t]?){0,3}${nameWord}(?:[ \\t\\-](?:${romanceParticle}[ \\t]?){0,3}${nameWord}){0,3}`;
const houseNumber = raw`\d{1,4}[a-zA-Z]?(?:[ \t]?[\-–][ \t]?\d{1,4})?(?![\p{L}\p{N}]|[.,]\d)`;
/** ", 10115 Berlin", " 75001 Paris", ", 1012 PH Amsterdam", ", D-10115 Berlin", ", SW1A 1AA London". */
const postalTail = raw`,?[ \t]{1,2}(?:[A-Z]{1,2}-)?(?:\d{4}[ \t]?[A-Z]{2}|\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?[ \t]\d[A-Z]{2})[ \t]{1,2}${nameWord}(?:[ \t\-]${nameWord})?`;

/** Where a match lies and what surrounds it, for the checks a pattern alone cannot make. */
interface MatchContext {
  readonly match: RegExpExecArray;
  readonly text: string;
  /** Offset just after the identifier (the group) in the text. */
  readonly end: number;
}

interface Detector {
  readonly kind: IdentifierKind;
  /** Compiled with the `d` flag, so that the group's offsets are known. */
  readonly pattern: RegExp;
  /** The capture group holding the identifier (optional; default: the whole match). */
  readonly group?: number;
  /** A further check on the identifier (optional; default: accept). */
  readonly accept?: (value: string, context: MatchContext) => boolean;
}

const digitsOf = (value: string): string => value.replace(/\D/g, '');

/**
 * Whether a calendar date exists.
 * @param year Full year.
 * @param month 1–12.
 * @param day 1–31.
 * @returns True when it does.
 */
function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The Dutch "elfproef": 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. */
function passesElevenProof(digits: string): boolean {
  if (digits.length !== 9 || /^0+$/.test(digits)) return false;
  let sum = -Number(digits[8]);
  for (let index = 0; index < 8; index++) sum += Number(digits[index]) * (9 - index);
  return sum % 11 === 0;
}

/** NHS numbers: weights 10…2 on the first nine digits, 11 minus the remainder is the tenth (11 → 0, 10 never). */
function passesNhsCheck(digits: string): boolean {
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let index = 0; index < 9; index++) sum += Number(digits[index]) * (10 - index);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(digits[9]);
}

/** The Luhn check (Swedish personnummer over YYMMDDNNNC). */
function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Chinese resident identity number: a real birth date in digits 7–14 and the ISO 7064 MOD 11-2 check character. */
function passesChineseIdCheck(id: string): boolean {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  if (!isRealDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += Number(id[index]) * weights[index];
  return '10X98765432'[sum % 11] === id[17].toUpperCase();
}

/** Italian codice fiscale: the sixteenth letter from the odd- and even-position tables. */
function passesCodiceFiscaleCheck(code: string): boolean {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  let sum = 0;
  for (let index = 0; index < 15; index++) {
    const char = code[index];
    // Digits take the value of the letter at the same place in the alphabet (0 → A, 1 → B, …).
    const place = /\d/.test(char) ? Number(char) : char.charCodeAt(0) - 65;
    sum += index % 2 === 0 ? odd[place] : place;
  }
  return String.fromCharCode(65 + (sum % 26)) === code[15];
}

/** French NIR: the two-digit key is 97 minus the first thirteen digits modulo 97 (Corsica's 2A/2B count as 19/18). */
function passesNirCheck(value: string): boolean {
  const compact = value.replace(/[ \t]/g, '');
  const body = compact.slice(0, 13).replace(/^(\d{5})2A/, '$119').replace(/^(\d{5})2B/, '$118');
  let remainder = 0;
  for (const char of body) remainder = (remainder * 10 + Number(char)) % 97;
  return 97 - remainder === Number(compact.slice(13));
}

/** A Korean resident registration number's first seven digits give a real birth date and a century digit. */
function isKoreanResidentNumber(value: string): boolean {
  const digits = digitsOf(value);
  const century = { '1': 1900, '2': 1900, '5': 1900, '6': 1900, '3': 2000, '4': 2000, '7': 2000, '8': 2000 }[digits[6]];
  return century !== undefined && isRealDate(century + Number(digits.slice(0, 2)), Number(digits.slice(2, 4)), Number(digits.slice(4, 6)));
}

const yearRange = /^(?:19|20)\d{2}\s?[–-]\s?(?:19|20)?\d{2}$/;
const spacedThousands = /^[1-9]\d{0,2}(?:[ \u00a0\u202f]\d{3})+$/;

/** Decimals in a row ("12.4 17.9 23.5") mix dots with spaces; a phone number uses one kind of separator. */
function mixesDotsWithSpaces(value: string): boolean {
  const local = value.replace(/^\+\d{1,3}[ \t\u00a0.-]?/, '');
  return local.includes('.') && /[ \t\u00a0\-()]/.test(local);
}

/** An unlabelled phone number: a trunk 0, a country code, an area code in brackets, or the North American 3-3-4 shape. */
function acceptPhone(value: string): boolean {
  const digits = digitsOf(value);
  if (digits.length < 9 || digits.length > 15 || mixesDotsWithSpaces(value) || /(?:^|\D)\d$/.test(value)) return false;
  if (value.startsWith('+') || value.startsWith('(')) return true;
  return /^0\d+(?:[ \t\u00a0.-]\(?\d+\)?)+$/.test(value) || /^[2-9]\d{2}([ .-])\d{3}\1\d{4}$/.test(value) || /^1[3-9]\d([ -])\d{4}\1\d{4}$/.test(value);
}

/** A phone number after a label such as "tel:" may be shorter, but is still not a count, a range or a decimal. */
function acceptLabelledPhone(value: string): boolean {
  const digits = digitsOf(value);
  return digits.length >= 7 && digits.length <= 15 && !spacedThousands.test(value) && !yearRange.test(value) && !mixesDotsWithSpaces(value);
}

/** A labelled national number has enough digits and is not a year range ("NHS 2019-2020"). */
function acceptLabelledNationalId(value: string): boolean {
  const digits = digitsOf(value);
  return digits.length >= 7 && digits.length <= 18 && !yearRange.test(value);
}

// Plural subjects and trial milestones make a date the study's, not a patient's.
const cohortBefore = /\b(?:patients|participants|subjects|individuals|cases|people|children|adults|women|men|last patient|first patient)\b[^.\n]{0,25}$/i;
const boundaryJustBefore = /(?:between|from|after|before|since|until|till|through|thru|to|and|by|up to|prior to|as of|starting|beginning|ending)\s{0,3}$/i;
const studyWordsBetween = /\b(?:between|cut-?off|censor\w*|lock\w*|congress|conference|meeting|symposium|session|published|registered|approv\w*|enrol\w*|recruit\w*|period|study|trial|cohort|ended|end of)\b/i;
const rangeAfter = new RegExp(`^\\s{0,3}(?:and|to|until|till|through|thru|[\\-–—])\\s{0,3}(?:\\d|${month})`, 'iu');

/** An exact date next to "admitted", "discharged", … that is not the bound of a study period or a milestone. */
function acceptEventDate(_value: string, { match, text, end }: MatchContext): boolean {
  const between = match[1] ?? '';
  if (boundaryJustBefore.test(between) || studyWordsBetween.test(between) || rangeAfter.test(text.slice(end, end + 40))) return false;
  return !cohortBefore.test(text.slice(Math.max(0, match.index - 40), match.index));
}

// Capitalised words that are headings, places, institutions or study terms, not parts of a person's name.
const notNameWords = new Set(
  (
    'Case Report Reports Clinical Note Notes Discharge Summary Emergency Department Intensive Care Medical Record Records Progress Patient Patients ' +
    'History Chief Complaint Type Table Figure Fig Results Methods Discussion Introduction Conclusion Conclusions Abstract Background Supplementary ' +
    'Appendix Section Hospital University Institute Centre Center Clinic County City Province State Region District Study Trial Cohort Group Registry ' +
    'Database Adults Children Women Men Participants Subjects Controls Volunteers Older Younger Mean Median Age Baseline Characteristics Score Scale ' +
    'Index Model Syndrome Disease Health National General Royal Service Services Society Association College School Foundation Council Ministry ' +
    'Agency Network Consortium Program Programme Project Unit Ward Office Data Analysis Street Road Avenue Lymphoma Carcinoma Leukaemia Leukemia ' +
    'Sarcoma Melanoma Myeloma Tumour Tumor Cancer Fever Virus Infection Failure Arthritis Diabetes Sclerosis Dementia'
  ).split(' '),
);
// Korean nouns that start with a surname syllable and stand before "(67세)" in a study's text.
const notKoreanNames = new Set('남성 남자 남아 여성 여자 여아 연령 정상 이상 이하 유아 신생아 고령 한국 서울 전체 진단 성별 성인 노인 소아 조사 문헌 기준 대상 평균 중앙 중앙값 전국 국내'.split(' '));
const notAddressWords = new Set('Table Figure Fig Supplementary Appendix Section Chapter Model Step Phase Group Arm Cohort Panel Box Equation Study Trial'.split(' '));

const acceptName = (value: string): boolean => !value.split(/[\s-]+/).some((word) => notNameWords.has(word));
const acceptAddress = (value: string): boolean => !value.split(/[\s,-]+/).some((word) => notAddressWords.has(word));

// Built on first use: compiling these Unicode-aware patterns took 20 ms, paid by every activation of the extension.
let builtDetectors: readonly Detector[] | undefined;

function detectors(): readonly Detector[] {
  return (builtDetectors ??= buildDetectors());
}

function buildDetectors(): readonly Detector[] {
  return [
  { kind: 'email', pattern: /(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?!\w)/dg },

  // National identifiers. Unlabelled ones must have their distinctive shape and pass their check digit.
  { kind: 'nationalId', pattern: /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/dg },
  {
    kind: 'nationalId',
    pattern: new RegExp(
      raw`(?:(?<![\p{L}\p{N}])(?:NHS|SSN|social security|national (?:id|identity|insurance)|(?:health )?insurance|health card|Medicare|personal identity number|personnummer|CPR|fødselsnummer|henkilötunnus|BSN|burgerservicenummer|sofinummer|(?:Kranken)?versichertennummer|sécurité sociale|NIR|numéro INSEE|DNI|NIE|NIF|codice fiscale|RRN|resident registration|My ?Number|ID card|identity card|passport)(?:[ \t]{0,2}(?:no\.?|nr\.?|number|#|id|n°|card))?(?![\p{L}])|(?:주민등록번호|주민번호|외국인등록번호|マイナンバー|個人番号|身份证号码|身份证号|身份证|公民身份号码|护照号码|被保険者番号))[ \t]{0,2}(?:(?:is|was|of)[ \t]{1,2}|[:#：=][ \t]{0,2}|[은는][ \t]{0,2})?((?:[A-Z]{1,2}[ \t]?)?\d[\d \t.\-]{5,22}[\dXx][A-Z]?)(?![\p{sc=Latin}\p{N}])`,
      'dgiu',
    ),
    group: 1,
    accept: acceptLabelledNationalId,
  },
  { kind: 'nationalId', pattern: new RegExp(raw`${numberStart}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ \t]?-[ \t]?[1-8]\d{6}(?![\p{N}]|-\d)`, 'dgu'), accept: isKoreanResidentNumber },
  {
    kind: 'nationalId',
    pattern: new RegExp(raw`(?<![\p{sc=Latin}\p{N}_])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\p{sc=Latin}\p{N}_])`, 'dgu'),
    accept: passesChineseIdCheck,
  },
  { kind: 'nationalId', pattern: new RegExp(raw`${numberStart}(?:\d{9}|\d{4}\.\d{2}\.\d{3})${numberEnd}`, 'dgu'), accept: (value) => passesElevenProof(digitsOf(value)) },
  { kind: 'nationalId', pattern: new RegExp(raw`${numberStart}\d{10}${numberEnd}`, 'dgu'), accept: passesNhsCheck },
  {
    kind: 'nationalId',
    pattern: new RegExp(raw`${numberStart}(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|[6-8]\d|9[01])[\-+]\d{4}${numberEnd}`, 'dgu'),
    accept: (value) => passesLuhn(digitsOf(value).slice(-10)),
  },
  { kind: 'nationalId', pattern: new RegExp(raw`(?<![\p{L}\p{N}])[A-Z]{6}\d{2}[A-EHLMPR-T]\d{2}[A-Z]\d{3}[A-Z](?![\p{L}\p{N}])`, 'dgu'), accept: passesCodiceFiscaleCheck },
  {
    kind: 'nationalId',
    pattern: new RegExp(raw`${numberStart}[12][ \t]?\d{2}[ \t]?(?:0[1-9]|1[0-2])[ \t]?(?:\d{2}|2[AB])[ \t]?\d{3}[ \t]?\d{3}[ \t]?\d{2}(?![\p{sc=Latin}\p{N}_]|[.,\-/]\d|[ \t]\d)`, 'dgu'),
    accept: passesNirCheck,
  },

  {
    kind: 'medicalRecordNumber',
    // The label must end where its word ends: with the `i` flag "MRN" would otherwise match "mRNA-1273".
    pattern:
      /\b(?:MRN|MR#|MR\s?No\.?|medical record(?:\s{0,2}(?:number|no\.?|#))?|hospital (?:number|no\.?)|patient (?:id|number|no\.?)|chart (?:number|no\.?|#)|record #|Fallnummer|Patientennummer)(?![A-Za-z])[ \t]{0,3}[:#]?[ \t]{0,3}((?=[A-Z-]{0,15}\d)[A-Z0-9][A-Z0-9-]{4,15})\b/dgi,
    group: 1,
  },
  {
    kind: 'medicalRecordNumber',
    pattern: /(?:병록번호|(?<!주민|외국인)등록번호|환자번호|차트번호|カルテ番号|診察券番号|患者ID|患者番号|病历号|病案号|住院号)[ \t]{0,2}[:：]?[ \t]{0,2}([A-Z0-9][A-Z0-9-]{3,15})(?![A-Z0-9])/dgi,
    group: 1,
  },

  {
    kind: 'phone',
    pattern: new RegExp(
      raw`${numberStart}(?<!\p{N}[ \t\u00a0.\-])(?:\+\d{1,3}[ \t\u00a0.\-]?)?(?:\(0?\d{1,4}\)[ \t\u00a0.\-]?)?\d{1,5}(?:[ \t\u00a0.\-]\d{1,8}){0,6}(?![\p{sc=Latin}\p{N}_]|[.,]\d|[ \t\u00a0.\-]?\d|[ \t]?[–—\-][ \t]?\d|[ \t]?%)`,
      'dgu',
    ),
    accept: acceptPhone,
  },
  {
    kind: 'phone',
    // A label stands after a space or a line start and before a colon or a space: "j.cell.2015.03.049" is a DOI.
    pattern: new RegExp(
      raw`(?:(?<![\p{L}\p{N}./@_\-])(?:tel|tél|tlf|phone|telephone|téléphone|telefon|telefoon|teléfono|telefono|mobile|mobil|móvil|cellulare|cell|cellphone|handy|fax|Rufnummer|portable)(?![\p{L}])|(?:전화번호|전화|휴대폰|휴대전화|핸드폰|연락처|電話番号|電話|携帯電話|携帯|联系电话|联系方式|电话|手机))(?:\.?[ \t]{0,2}(?:no\.?|nr\.?|number|n°)?[ \t]{0,2}[:#：][ \t]{0,2}|\.?[ \t]{1,2}(?:(?:no\.?|nr\.?|number|n°)[ \t]{0,2})?)(\+?\(?\d[\d \t\u00a0().\-]{5,20}\d)`,
      'dgiu',
    ),
    group: 1,
    accept: acceptLabelledPhone,
  },

  {
    kind: 'dateOfBirth',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{N}])(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?|birth ?date|geb\.|geboren(?: am| op)?|Geburtsdatum|date de naissance|née?(?: le)?|fecha de nacimiento|nacid[oa](?: el)?|data di nascita|geboortedatum)(?![\p{L}])[\s:,]{0,3}(${fullDate})`,
      'dgiu',
    ),
    group: 1,
  },
  { kind: 'dateOfBirth', pattern: new RegExp(raw`(?:生年月日|出生日期|出生年月日|생년월일|출생일|생일|誕生日|生日)\s{0,2}[:：]?\s{0,2}(${fullDate})`, 'dgiu'), group: 1 },
  // 生 and 생 begin other words too (生效 "takes effect", 생존 "survival"), so those are ruled out.
  { kind: 'dateOfBirth', pattern: new RegExp(raw`(${cjkDate})\s?(?:출생|생(?![산존활성])|生まれ|出生|誕生|生(?![效产產存成活]))`, 'dgu'), group: 1 },

  {
    kind: 'date',
    pattern: new RegExp(
      raw`(?<![\p{L}])(?:admitted|admission|admit date|readmitted|discharged|discharge|presented|seen|visit(?:ed)?|operated|surgery|procedure|died|death|deceased|transferred|ED visit|encounter)(?![\p{L}])([^.\n]{0,40}?)(?<![\p{L}\p{N}])(${fullDate})`,
      'dgiu',
    ),
    group: 2,
    accept: acceptEventDate,
  },
  { kind: 'date', pattern: new RegExp(raw`(?:입원일|퇴원일|내원일|수술일|사망일|入院日|退院日|来院日|手術日|入院日期|出院日期|手术日期|死亡日期)\s{0,2}[:：]?\s{0,2}(${fullDate})`, 'dgiu'), group: 1 },
  { kind: 'date', pattern: new RegExp(raw`(${cjkDate})\s{0,2}(?:에\s{0,2})?(?:입원|퇴원|내원|수술|사망|응급실|入院|退院|来院|出院|住院|就诊|就診|手術|手术|死亡|救急)`, 'dgu'), group: 1 },

  {
    kind: 'address',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{N}])\d{1,5}[A-Za-z]?[ \t]{1,2}(?:${nameWord}[ \t]{1,2}){1,3}${streetType}(?![\p{L}])\.?(?:,?[ \t]{1,2}(?:Apt|Unit|Suite|#)\.?[ \t]{0,2}[\p{L}\p{N}]{1,6})?(?:,[ \t]{0,2}${nameWord}(?:[ \t]${nameWord})?)?(?:,?[ \t]{0,2}[A-Z]{2}(?![\p{L}]))?(?:[ \t]{1,2}\d{5}(?:-\d{4})?)?`,
      'dgu',
    ),
    accept: acceptAddress,
  },
  {
    kind: 'address',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{M}\p{N}])(?=\p{Lu})(?:(?:${nameWord}-){0,2}\p{Lu}?[\p{Ll}\p{M}]{0,30}${streetSuffix}|${nameWord}[ \t]${separateStreetType})[ \t]{1,2}${houseNumber}(?:${postalTail})?`,
      'dgu',
    ),
    accept: acceptAddress,
  },
  {
    kind: 'address',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{N}])(?:(?:Rue|Via|Viale|Piazza|Piazzale|Corso|Vicolo|Calle|Carrer|Avenida|Avda\.|Rua|Praça|Travessa|Paseo|Chemin|Allée|Impasse|Quai|Rambla)[ \t]{1,2}${typeFirstName},?[ \t]{1,2}${houseNumber}(?:${postalTail})?|(?:Avenue|Boulevard|Place|Plaza|Largo|Cours)[ \t]{1,2}${typeFirstName},?[ \t]{1,2}${houseNumber}${postalTail})`,
      'dgu',
    ),
    accept: acceptAddress,
  },
  {
    kind: 'address',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{N}])\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]{1,2}(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Bb]d|[Pp]lace|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|[Cc]ours|[Rr]oute)[ \t]{1,2}${typeFirstName}(?:${postalTail})?`,
      'dgu',
    ),
    accept: acceptAddress,
  },
  {
    kind: 'address',
    pattern: new RegExp(
      raw`(?<![가-힣])[가-힣]{1,6}(?:특별시|광역시|특별자치시|특별자치도|시|도)[ \t]{1,2}[가-힣]{1,6}(?:구|군|시)(?:[ \t]{1,2}[가-힣]{1,6}(?:구|동|읍|면))?[ \t]{1,2}[가-힣0-9]{1,10}(?:로|길)[ \t]?\d{1,4}(?:-\d{1,4})?(?![0-9]|[ \t]?(?:개|배|명|년|세|회|일|월|시간|분|%|차|건|곳|가지|종))`,
      'dgu',
    ),
  },
  { kind: 'address', pattern: new RegExp(raw`〒[ \t]?\d{3}-?\d{4}(?:[ \t\u3000]{0,2}(?:${hanKana}|[0-9０-９\-－]){2,40})?`, 'dgu') },
  {
    kind: 'address',
    pattern: new RegExp(raw`(?:東京都|北海道|京都府|大阪府|\p{sc=Han}{2,3}県)\p{sc=Han}{1,6}[市区町村郡]${hanKana}{0,12}[0-9０-９]{1,4}(?:(?:[\-－の]|丁目|番地?|号){1,2}[0-9０-９]{1,4}){0,3}`, 'dgu'),
  },
  { kind: 'address', pattern: /\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/dg },

  // The label's case is spelled out: an `i` flag would let the name match lower-case words, and a lower-case
  // `name:` is a YAML key (authors in front matter), not a clinical note's label.
  {
    kind: 'name',
    pattern: new RegExp(
      raw`(?<![\p{L}])(?:[Pp]atient(?:in)?(?: [Nn]ame)?|P[Tt]|[Pp]t|Name|NAME|PATIENT|[Cc]lient|[Rr]esident|Nom|Nombre|Nome|Naam|Paciente|Patiënt|Patiente|Patientenname)[ \t]{0,2}:\s{0,3}(${personName})`,
      'dgu',
    ),
    group: 1,
    accept: acceptName,
  },
  { kind: 'name', pattern: new RegExp(raw`(?<![\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Mme|Mlle|Herr|Frau)\.?[ \t]{1,2}(${titledName})`, 'dgu'), group: 1, accept: acceptName },
  {
    kind: 'name',
    pattern: new RegExp(
      raw`(?<![\p{L}\p{M}\p{N}'’\-])(${personName})(?=[ \t]{0,2}[,(（][ \t]{0,2}(?:DOB|D\.O\.B|born|date of birth|MRN|aged?[ \t]{1,2}\d{1,3}(?!\d|[ \t]{0,2}(?:to|or|and|-|–|—|\+|years?[ \t]{1,2}(?:and|or|to)))|\d{1,3}[\- ]?(?:y(?:ear)?s?[\- ]old|yo(?![\p{L}])|y\/o)))`,
      'dgu',
    ),
    group: 1,
    accept: acceptName,
  },
  { kind: 'name', pattern: /(?:성명|이름|환자명|환자[ \t]?이름|성함|환자)[ \t]{0,2}[:：][ \t]{0,2}([가-힣]{2,4})/dgu, group: 1 },
  { kind: 'name', pattern: new RegExp(raw`(?:患者氏名|患者姓名|患者名|姓名|氏名|名前)[ \t]{0,2}[:：]?[ \t]{0,2}(${hanKana}{1,4}(?:[ \u3000]${hanKana}{1,4})?)`, 'dgu'), group: 1 },
  {
    kind: 'name',
    pattern: new RegExp(
      raw`(?<![가-힣])(${koreanSurname}[가-힣]{1,2})(?![가-힣])(?=[ \t]{0,2}(?:씨|님)?[ \t]{0,2}[(（,，][ \t]{0,2}(?:(?:남성|여성|남자|여자|남|여|M|F)[ \t]{0,2}[,/，][ \t]{0,2})?(?:${cjkDigit}{1,3}[ \t]?세|${cjkDate}[ \t]?(?:생|출생)))`,
      'dgu',
    ),
    group: 1,
    accept: (value) => !notKoreanNames.has(value),
  },
];
}

const cjkScript = /[\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const letter = /[\p{L}\p{M}]/u;

/**
 * Finds likely patient identifiers.
 * @param text The text about to be sent.
 * @returns The findings, in order, without overlaps (the earlier, longer finding wins).
 */
export function findIdentifiers(text: string): IdentifierFinding[] {
  const found: IdentifierFinding[] = [];
  for (const detector of detectors()) {
    detector.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = detector.pattern.exec(text)) !== null) {
      const group = detector.group ?? 0;
      const value = match[group];
      const offsets = match.indices?.[group];
      if (!value || !offsets) continue;
      const trimmed = value.replace(/[\s.,;:]+$/, '');
      const start = offsets[0];
      const end = start + trimmed.length;
      if (detector.accept && !detector.accept(trimmed, { match, text, end })) continue;
      found.push({ kind: detector.kind, text: trimmed, start, end });
    }
  }
  const result = withoutOverlaps(found);
  // A name found once is redacted everywhere it recurs.
  const needles = new Set<string>();
  for (const finding of result) {
    if (finding.kind !== 'name') continue;
    needles.add(finding.text);
    const surname = finding.text.split(/\s+/).pop() ?? finding.text;
    if (surname.length > 3) needles.add(surname);
  }
  if (needles.size === 0) return result;
  const recurrences: IdentifierFinding[] = [];
  const positions = new WordPositions(text);
  for (const needle of needles) {
    for (const at of positions.candidates(needle)) {
      if (!text.startsWith(needle, at) || overlapsAny(result, at, at + needle.length)) continue;
      const before = text[at - 1] ?? '';
      const after = text[at + needle.length] ?? '';
      // Korean particles and Chinese or Japanese text follow a name without a space.
      const bounded = cjkScript.test(needle) ? !/\p{sc=Hangul}/u.test(before) || !/\p{sc=Hangul}/u.test(needle[0]) : !letter.test(before) && !letter.test(after);
      if (bounded) recurrences.push({ kind: 'name', text: needle, start: at, end: at + needle.length });
    }
  }
  return [...result, ...withoutOverlaps(recurrences)].sort((a, b) => a.start - b.start);
}

/**
 * Drops findings that overlap an earlier (or, at the same start, a longer) one.
 * @param findings Findings in any order.
 * @returns The kept findings, sorted by start.
 */
function withoutOverlaps(findings: readonly IdentifierFinding[]): IdentifierFinding[] {
  const sorted = [...findings].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: IdentifierFinding[] = [];
  for (const finding of sorted) {
    const last = kept[kept.length - 1];
    if (last && finding.start < last.end) continue;
    kept.push(finding);
  }
  return kept;
}

/**
 * Whether a span overlaps one of the sorted, non-overlapping findings (binary search).
 * @param sorted Findings sorted by start, without overlaps.
 * @param start Span start.
 * @param end Span end.
 * @returns True when it does.
 */
function overlapsAny(sorted: readonly IdentifierFinding[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  // The last finding that starts before `end` is the only one that can overlap.
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].start < end) low = middle + 1;
    else high = middle;
  }
  return low > 0 && sorted[low - 1].end > start;
}

/** Where each word starts, so that a recurring name is looked up rather than searched for once per name. */
class WordPositions {
  private words?: Map<string, number[]>;
  private pairs?: Map<string, number[]>;

  constructor(private readonly text: string) {}

  /**
   * Offsets where the needle may start: where its first word starts, or (CJK) where its first two characters are.
   * @param needle The name.
   * @returns Candidate offsets, to be checked.
   */
  candidates(needle: string): readonly number[] {
    if (cjkScript.test(needle)) {
      this.pairs ??= this.index(/[\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}](?=([\p{sc=Hangul}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]))/gu, (match) => match[0] + match[1]);
      return this.pairs.get(needle.slice(0, 2)) ?? [];
    }
    this.words ??= this.index(/[\p{L}\p{M}]+/gu, (match) => match[0]);
    return this.words.get(/^[\p{L}\p{M}]+/u.exec(needle)?.[0] ?? needle) ?? [];
  }

  private index(pattern: RegExp, key: (match: RegExpExecArray) => string): Map<string, number[]> {
    const map = new Map<string, number[]>();
    for (const match of this.text.matchAll(pattern)) {
      const name = key(match);
      const list = map.get(name);
      if (list) list.push(match.index);
      else map.set(name, [match.index]);
    }
    return map;
  }
}

/**
 * Replaces findings with `[REDACTED-…]` placeholders.
 * @param text The scanned text.
 * @param findings Findings from {@link findIdentifiers} on the same text.
 * @returns The redacted text.
 */
export function redactIdentifiers(text: string, findings: readonly IdentifierFinding[]): string {
  let result = '';
  let cursor = 0;
  for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
    if (finding.start < cursor) continue;
    result += text.slice(cursor, finding.start) + redactionLabels[finding.kind];
    cursor = finding.end;
  }
  return result + text.slice(cursor);
}

/**
 * Summarises findings for a message, e.g. "2 phone numbers, 1 date of birth".
 * @param findings The findings.
 * @returns A short phrase.
 */
export function summariseFindings(findings: readonly IdentifierFinding[]): string {
  const counts = new Map<IdentifierKind, number>();
  for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
  return [...counts.entries()].map(([kind, count]) => countIdentifierKind(kind, count)).join(', ');
}
