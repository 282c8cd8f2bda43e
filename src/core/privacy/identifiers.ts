/**
 * Finds likely patient identifiers in text before it leaves the machine: names next to dates of birth
 * or record numbers, dates of birth, medical record numbers, phone numbers, street addresses, exact
 * admission and discharge dates, e-mail addresses and national identifiers (SSN, NHS number).
 * Tuned so that a normal manuscript (p-values, study periods, sample sizes, CIs) raises nothing.
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

const month = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?';
/** A date with its day: 03/14/1962, 14.03.1962, 1962-03-14, 14 March 1962, March 14, 1962. */
const fullDate = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}(?:st|nd|rd|th)?\\s+${month},?\\s+\\d{4}|${month}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
const personName = "[A-Z][a-z'’-]+(?:\\s+[A-Z]\\.)?(?:\\s+(?:[A-Z][a-z'’-]+|[A-Z]'[A-Z][a-z]+)){1,2}";
const streetType = '(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Highway|Hwy|Parkway|Pkwy|Rue|Straße|Strasse|Calle|Via)';

interface Detector {
  readonly kind: IdentifierKind;
  readonly pattern: RegExp;
  /** The capture group holding the identifier (optional; default: the whole match). */
  readonly group?: number;
}

const detectors: readonly Detector[] = [
  { kind: 'email', pattern: /\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g },
  { kind: 'nationalId', pattern: /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b/g },
  { kind: 'nationalId', pattern: /\b(?:NHS|SSN|social security|national (?:id|identity|insurance)|insurance)(?:\s*(?:no\.?|number|#|id))?\s*[:#]?\s*((?:[A-Z]{2}\s?)?\d[\d\s-]{6,14}\d[A-Z]?)\b/gi, group: 1 },
  {
    kind: 'medicalRecordNumber',
    pattern: /\b(?:MRN|MR#|MR\s?No\.?|medical record(?:\s*(?:number|no\.?|#))?|hospital (?:number|no\.?)|patient (?:id|number|no\.?)|chart (?:number|no\.?|#)|record #)\s*[:#]?\s*((?=[A-Z-]*\d)[A-Z0-9][A-Z0-9-]{4,15})\b/gi,
    group: 1,
  },
  {
    kind: 'phone',
    pattern: /(?<![\d.,/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\d,/-]|\.\d|\s?[-–]\s?\d)/g,
  },
  { kind: 'phone', pattern: /\b(?:tel|phone|telephone|mobile|cell|fax|ph)\b(?:\.?[ \t]*[:#][ \t]*|\.?[ \t]+)(\+?[\d(][\d \t().-]{6,18}\d)/gi, group: 1 },
  { kind: 'dateOfBirth', pattern: new RegExp(`\\b(?:DOB|D\\.O\\.B\\.?|date of birth|born(?: on)?|birth ?date)\\s*[:,]?\\s*(${fullDate})`, 'gi'), group: 1 },
  {
    kind: 'date',
    pattern: new RegExp(
      `\\b(?:admitted|admission|admit date|readmitted|discharged|discharge|presented|seen|visit(?:ed)?|operated|surgery|procedure|died|death|deceased|transferred|ED visit|encounter)\\b[^.\\n]{0,40}?\\b(${fullDate})`,
      'gi',
    ),
    group: 1,
  },
  {
    kind: 'address',
    pattern: new RegExp(`\\b\\d{1,5}[A-Za-z]?\\s+(?:[A-Z][a-z]+\\s+){1,3}${streetType}\\b\\.?(?:,?\\s+(?:Apt|Unit|Suite|#)\\.?\\s*\\w+)?(?:,\\s*[A-Z][a-z]+(?:\\s[A-Z][a-z]+)?)?(?:,?\\s*[A-Z]{2})?(?:\\s+\\d{5}(?:-\\d{4})?)?`, 'g'),
  },
  { kind: 'address', pattern: /\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b/g },
  // The label's case is spelled out: an `i` flag would let the name match lower-case words, and a lower-case
  // `name:` is a YAML key (authors in front matter), not a clinical note's label.
  { kind: 'name', pattern: new RegExp(`\\b(?:[Pp]atient(?: [Nn]ame)?|P[Tt]|[Pp]t|Name|NAME|PATIENT|[Cc]lient|[Rr]esident)\\s*:\\s*(${personName})`, 'g'), group: 1 },
  { kind: 'name', pattern: new RegExp(`\\b(?:Mr|Mrs|Ms|Miss|Mx)\\.?\\s+(${personName.replace('{1,2}', '{0,2}')})`, 'g'), group: 1 },
  { kind: 'name', pattern: new RegExp(`\\b(${personName})(?=\\s*[,(]\\s*(?:DOB|D\\.O\\.B|born|date of birth|MRN|aged?\\s+\\d|\\d{1,3}[- ]?(?:y(?:ear)?s?[- ]old|yo\\b)))`, 'g'), group: 1 },
];

// Capitalised pairs that are headings or study terms, not people.
const notNames = /^(?:Case Report|Clinical Notes?|Discharge Summary|Emergency Department|Intensive Care|Medical Record|Progress Note|Patient|History|Chief Complaint|Type \d|Table|Figure|Results|Methods)\b/;

/**
 * Finds likely patient identifiers.
 * @param text The text about to be sent.
 * @returns The findings, in order, without overlaps (the earlier, longer finding wins).
 */
export function findIdentifiers(text: string): IdentifierFinding[] {
  const found: IdentifierFinding[] = [];
  for (const detector of detectors) {
    detector.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = detector.pattern.exec(text)) !== null) {
      const value = detector.group !== undefined ? match[detector.group] : match[0];
      if (!value) continue;
      const start = match.index + (detector.group !== undefined ? match[0].lastIndexOf(value) : 0);
      const trimmed = value.replace(/[\s.,;:]+$/, '');
      if (detector.kind === 'name' && notNames.test(trimmed)) continue;
      if (detector.kind === 'phone' && (trimmed.replace(/\D/g, '').length < 9 || /^\d{4}[\s-]\d{4}$/.test(trimmed))) continue;
      found.push({ kind: detector.kind, text: trimmed, start, end: start + trimmed.length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const result: IdentifierFinding[] = [];
  for (const finding of found) {
    const last = result[result.length - 1];
    if (last && finding.start < last.end) continue;
    result.push(finding);
  }
  // A name found once is redacted everywhere it recurs.
  const names = new Set(result.filter((finding) => finding.kind === 'name').map((finding) => finding.text));
  for (const name of names) {
    const surname = name.split(/\s+/).pop() ?? name;
    for (const needle of new Set([name, surname.length > 3 ? surname : name])) {
      let from = 0;
      for (;;) {
        const at = text.indexOf(needle, from);
        if (at < 0) break;
        from = at + needle.length;
        const bounded = !/[\p{L}]/u.test(text[at - 1] ?? '') && !/[\p{L}]/u.test(text[at + needle.length] ?? '');
        if (bounded && !result.some((finding) => at < finding.end && at + needle.length > finding.start)) {
          result.push({ kind: 'name', text: needle, start: at, end: at + needle.length });
        }
      }
    }
  }
  return result.sort((a, b) => a.start - b.start);
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
