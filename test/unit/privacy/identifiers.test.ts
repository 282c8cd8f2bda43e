import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { findIdentifiers, redactIdentifiers, redactionLabels, summariseFindings, type IdentifierKind } from '../../../src/core/privacy/identifiers';

const fixtures = 'test/fixtures/writing';
const notes = readFileSync(`${fixtures}/clinicalNotes.md`, 'utf8');
const planted = JSON.parse(readFileSync(`${fixtures}/clinicalNotes.planted.json`, 'utf8')) as { kind: IdentifierKind; text: string }[];

test('finds every planted identifier in the synthetic clinical notes (recall 100%)', () => {
  const findings = findIdentifiers(notes);
  const missed = planted.filter((item) => {
    // Every occurrence of the planted text must be covered by a finding.
    let from = 0;
    for (;;) {
      const at = notes.indexOf(item.text, from);
      if (at < 0) return false;
      from = at + item.text.length;
      if (!findings.some((finding) => finding.start <= at && finding.end >= at + item.text.length)) return true;
    }
  });
  assert.deepEqual(missed, [], `missed: ${missed.map((item) => `${item.kind} ${item.text}`).join('; ')}`);
  assert.equal(planted.length, 24);
});

test('classifies planted identifiers by kind', () => {
  const findings = findIdentifiers(notes);
  for (const item of planted.filter((entry) => entry.kind !== 'name')) {
    const finding = findings.find((candidate) => candidate.text.includes(item.text));
    assert.ok(finding, item.text);
    assert.equal(finding.kind, item.kind, item.text);
  }
});

test('raises nothing on a normal manuscript: p-values, study dates, sample sizes, CIs, registry ids, DOIs', () => {
  const paragraph = readFileSync(`${fixtures}/normalManuscript.md`, 'utf8');
  assert.deepEqual(findIdentifiers(paragraph), []);
});

test('raises nothing on the synthetic markup-heavy manuscript except its contact e-mail', () => {
  const text = readFileSync(`${fixtures}/markupHeavy.md`, 'utf8');
  const findings = findIdentifiers(text);
  assert.deepEqual(findings.map((finding) => finding.kind), ['email']);
});

test('raises nothing on the deep-review manuscript', { skip: !safeExists('../shared/data/manuscripts/deep-review/original.md') }, () => {
  const text = readFileSync('../shared/data/manuscripts/deep-review/original.md', 'utf8');
  assert.deepEqual(findIdentifiers(text).map((finding) => finding.text), []);
});

test('redacts with [REDACTED-…] placeholders and leaves the rest intact', () => {
  const text = 'Patient: John Smith, DOB 01/02/1950, MRN 1234567, tel: 020 7946 0958. He improved (p = 0.03).';
  const findings = findIdentifiers(text);
  const redacted = redactIdentifiers(text, findings);
  assert.equal(redacted, 'Patient: [REDACTED-NAME], DOB [REDACTED-DOB], MRN [REDACTED-MRN], tel: [REDACTED-PHONE]. He improved (p = 0.03).');
  assert.match(summariseFindings(findings), /1 patient name/);
});

test('a name found once is redacted where it recurs', () => {
  const text = 'Name: Anna Berg, born 3 May 1970. Ms Berg reported pain. Berglund et al. disagree.';
  const redacted = redactIdentifiers(text, findIdentifiers(text));
  assert.equal(redacted, 'Name: [REDACTED-NAME], born [REDACTED-DOB]. Ms [REDACTED-NAME] reported pain. Berglund et al. disagree.');
});

interface Positive {
  /** The sentence holding the identifier. */
  readonly text: string;
  readonly kind: IdentifierKind;
  /** The exact span that must be found (and removed by redaction). */
  readonly span: string;
}

// Every identifier format the gate must catch, each in a realistic sentence, with the exact span expected.
const positives: readonly Positive[] = [
  // National identifiers.
  { text: '주민등록번호 900101-1234567', kind: 'nationalId', span: '900101-1234567' },
  { text: '환자의 주민번호는 850315-2345678입니다.', kind: 'nationalId', span: '850315-2345678' },
  { text: 'RRN: 9001011234567 (verified at admission).', kind: 'nationalId', span: '9001011234567' },
  { text: '보호자가 제시한 번호는 760512-2456789였다.', kind: 'nationalId', span: '760512-2456789' },
  { text: 'BSN 111222333, huisarts bekend.', kind: 'nationalId', span: '111222333' },
  { text: 'Burgerservicenummer: 1234.56.782', kind: 'nationalId', span: '1234.56.782' },
  { text: 'De patiënt legitimeerde zich met 123456782 bij de balie.', kind: 'nationalId', span: '123456782' },
  { text: 'NHS number 943 476 5919 was checked on the spine.', kind: 'nationalId', span: '943 476 5919' },
  { text: 'Referral letter quotes 4010232137 as her identifier.', kind: 'nationalId', span: '4010232137' },
  { text: 'His SSN is 536-22-8726.', kind: 'nationalId', span: '536-22-8726' },
  { text: 'マイナンバー: 1234 5678 9012', kind: 'nationalId', span: '1234 5678 9012' },
  { text: '身份证号码：11010519491231002X', kind: 'nationalId', span: '11010519491231002X' },
  { text: '患者证件 11010519491231002X 已核对。', kind: 'nationalId', span: '11010519491231002X' },
  { text: 'Patienten har personnummer 19811218-9876.', kind: 'nationalId', span: '19811218-9876' },
  { text: 'Remiss för 811218-9876 mottagen.', kind: 'nationalId', span: '811218-9876' },
  { text: 'Codice fiscale del paziente: RSSMRA85T10A562S.', kind: 'nationalId', span: 'RSSMRA85T10A562S' },
  { text: 'Assurée sous le 1 62 03 75 116 042 46 depuis 2001.', kind: 'nationalId', span: '1 62 03 75 116 042 46' },
  // Phone numbers in running text.
  { text: 'Her husband can be reached at +49 151 23456789 after 6 pm.', kind: 'phone', span: '+49 151 23456789' },
  { text: 'Rappeler la famille au 01 42 68 53 00 demain.', kind: 'phone', span: '01 42 68 53 00' },
  { text: 'The son lives in Seoul (+82 10-1234-5678).', kind: 'phone', span: '+82 10-1234-5678' },
  { text: '연락처는 010-1234-5678입니다.', kind: 'phone', span: '010-1234-5678' },
  { text: 'Call the daughter on (555) 123-4567 if he deteriorates.', kind: 'phone', span: '(555) 123-4567' },
  { text: 'Patient prefers text messages to +1 555 123 4567.', kind: 'phone', span: '+1 555 123 4567' },
  { text: 'Her GP can be reached on 020 7946 0958.', kind: 'phone', span: '020 7946 0958' },
  { text: 'Le médecin traitant: +33 1 42 68 53 00.', kind: 'phone', span: '+33 1 42 68 53 00' },
  { text: 'Next of kin: +44 20 7946 0958 (wife).', kind: 'phone', span: '+44 20 7946 0958' },
  { text: '緊急連絡先は03-1234-5678です。', kind: 'phone', span: '03-1234-5678' },
  { text: 'Family in Shanghai: +86 138 0013 8000.', kind: 'phone', span: '+86 138 0013 8000' },
  { text: '手机：13800138000', kind: 'phone', span: '13800138000' },
  { text: 'Praxis erreichbar unter +49 (0)30 12345678.', kind: 'phone', span: '+49 (0)30 12345678' },
  { text: 'Mobil: 0170 1234567', kind: 'phone', span: '0170 1234567' },
  { text: 'Pharmacy called back from 555.123.4567 this morning.', kind: 'phone', span: '555.123.4567' },
  // Street addresses, street-first and number-first.
  { text: 'Wohnhaft in der Hauptstraße 5, 10115 Berlin.', kind: 'address', span: 'Hauptstraße 5, 10115 Berlin' },
  { text: 'Domicile: Rue de Rivoli 12, 75001 Paris.', kind: 'address', span: 'Rue de Rivoli 12, 75001 Paris' },
  { text: 'Elle habite au 12 rue de Rivoli, 75001 Paris.', kind: 'address', span: '12 rue de Rivoli, 75001 Paris' },
  { text: 'Home address: 42 Willow Creek Road, Springfield, IL 62704.', kind: 'address', span: '42 Willow Creek Road, Springfield, IL 62704' },
  { text: 'Woonadres Kalverstraat 92, 1012 PH Amsterdam.', kind: 'address', span: 'Kalverstraat 92, 1012 PH Amsterdam' },
  { text: 'Residente in Via Roma 10, 00184 Roma.', kind: 'address', span: 'Via Roma 10, 00184 Roma' },
  { text: 'Domicilio: Calle Mayor 5, 28013 Madrid.', kind: 'address', span: 'Calle Mayor 5, 28013 Madrid' },
  { text: 'Sie wohnt in der Berliner Straße 12 bei ihrer Tochter.', kind: 'address', span: 'Berliner Straße 12' },
  { text: '주소: 서울특별시 강남구 테헤란로 152', kind: 'address', span: '서울특별시 강남구 테헤란로 152' },
  { text: '住所：〒100-0001 東京都千代田区千代田1-1', kind: 'address', span: '〒100-0001 東京都千代田区千代田1-1' },
  // Names with accents, curly apostrophes, particles, and in Korean, Japanese.
  { text: 'James O’Connor, 67 years old, presented with chest pain.', kind: 'name', span: 'James O’Connor' },
  { text: 'Patient: José Álvarez', kind: 'name', span: 'José Álvarez' },
  { text: 'Mr. Seán Ó Briain was reviewed on the ward.', kind: 'name', span: 'Seán Ó Briain' },
  { text: '김민수(1962년 3월 14일생)는 흉통으로 내원하였다.', kind: 'name', span: '김민수' },
  { text: 'Name: Jan van der Berg, born 3 May 1970.', kind: 'name', span: 'Jan van der Berg' },
  { text: 'Mrs. Anne-Marie Dubois-Lefèvre declined the biopsy.', kind: 'name', span: 'Anne-Marie Dubois-Lefèvre' },
  { text: 'Zoë Nakamura-Smith (45 y/o) was referred by her GP.', kind: 'name', span: 'Zoë Nakamura-Smith' },
  { text: '성명: 박지훈', kind: 'name', span: '박지훈' },
  { text: '氏名：山田 太郎', kind: 'name', span: '山田 太郎' },
  // Dates of birth in Korean, Chinese, Japanese and European styles.
  { text: '환자는 1962년 3월 14일생으로 고혈압 병력이 있다.', kind: 'dateOfBirth', span: '1962년 3월 14일' },
  { text: '김민수(1962년 3월 14일생)는 흉통으로 내원하였다.', kind: 'dateOfBirth', span: '1962년 3월 14일' },
  { text: '生年月日 1962年3月14日', kind: 'dateOfBirth', span: '1962年3月14日' },
  { text: '生年月日：昭和37年3月14日', kind: 'dateOfBirth', span: '昭和37年3月14日' },
  { text: '出生日期：1962年3月14日', kind: 'dateOfBirth', span: '1962年3月14日' },
  { text: '생년월일: 1962.03.14', kind: 'dateOfBirth', span: '1962.03.14' },
  { text: 'Patientin, geboren am 14.03.1962, stellte sich vor.', kind: 'dateOfBirth', span: '14.03.1962' },
  { text: 'Patiente née le 14 mars 1962 à Lyon.', kind: 'dateOfBirth', span: '14 mars 1962' },
  { text: 'DOB: 14-Mar-1962', kind: 'dateOfBirth', span: '14-Mar-1962' },
  // Exact admission dates and record numbers.
  { text: 'She was admitted on 12 March 2023 with fever.', kind: 'date', span: '12 March 2023' },
  { text: '환자는 2023년 3월 12일 입원하였다.', kind: 'date', span: '2023년 3월 12일' },
  { text: '2023年3月12日入院。', kind: 'date', span: '2023年3月12日' },
  { text: '병록번호: 12345678', kind: 'medicalRecordNumber', span: '12345678' },
];

for (const item of positives) {
  test(`finds ${item.kind} “${item.span}” and redacts all of it`, () => {
    const findings = findIdentifiers(item.text);
    const finding = findings.find((candidate) => candidate.kind === item.kind && candidate.text === item.span);
    assert.ok(finding, `expected ${item.kind} “${item.span}” in “${item.text}”, got ${JSON.stringify(findings.map((f) => [f.kind, f.text]))}`);
    assert.equal(item.text.slice(finding.start, finding.end), item.span);
    const redacted = redactIdentifiers(item.text, findings);
    assert.ok(!redacted.includes(item.span), redacted);
    assert.ok(redacted.includes(redactionLabels[item.kind]), redacted);
  });
}

// Normal manuscript sentences: statistics, study periods, sample sizes, registry and accession ids, doses, genes.
const negatives: readonly string[] = [
  'Patients admitted between 1 January 2015 and 31 December 2018 were eligible for inclusion.',
  'Worldwide, diabetes affects about 125 000 000 people, and prevalence is rising.',
  'The hazard ratio for death was 0.68 (95% CI 0.52–0.89; p = 0.004).',
  'Mean age was 67 years (SD 11.2), and 54% of participants were women.',
  'A total of 1,204 patients were randomly assigned (1:1) to dexamethasone 6 mg or placebo.',
  'The trial was registered at ClinicalTrials.gov (NCT01234567) and EudraCT (2015-001234-56).',
  'Expression data are available from GEO under accession GSE12345 and from SRA (PRJNA123456).',
  'Mice received cisplatin 10 mg/kg intraperitoneally on days 1, 8 and 15.',
  'BRCA1 and TP53 variants were detected in 12 of 48 tumours (25.0%).',
  'The odds ratio was 1.42 (95% CI 1.10 to 1.83), adjusted for age, sex and BMI.',
  'Data were collected from 1 March 2019 to 28 February 2021 at 14 centres.',
  'Patients were followed up until 31 December 2020 or death, whichever came first.',
  'Deaths were censored on 30 June 2021, the date of the last registry linkage.',
  'Interim results were presented at the European Respiratory Society Congress on 7 September 2022.',
  'See Figure 2 and Supplementary Table S3 for the full model (doi:10.1016/S0140-6736(20)30183-5).',
  'Median follow-up was 4.2 years (IQR 2.9–5.8); 312 events occurred in 45 123 person-years.',
  'The cohort comprised 2 345 678 adults aged 40 to 69 years at baseline.',
  'Sequencing yielded 35 214 876 reads per sample on average (range 28 000 000–41 500 000).',
  'Serum IL-6 fell from 24.3 pg/mL to 8.7 pg/mL (p < 0.001).',
  'Participants aged 65 years or older were invited between 2016 and 2019.',
  'Analyses used R version 4.3.1 and the survival package 3.5-7.',
  'The HLA-DRB1*04:01 allele was associated with risk (OR 2.1, 95% CI 1.4–3.2).',
  'SNP rs1234567 reached genome-wide significance (P = 3.2 × 10^-9).',
  'Baseline Characteristics (aged 18 to 75 years) are shown in Table 1.',
  'Blood pressure was 142/88 mmHg at baseline and 128/79 mmHg at 12 weeks.',
  'Ethics approval was granted on 14 November 2014 (reference 14/LO/1234).',
  'Recruitment ran from 2 February 2015 through 15 March 2018.',
  'Cells were seeded at 1 × 10^5 cells per well and incubated for 24 h at 37 °C.',
  'The Wilson-Cowan model and the Hodgkin–Huxley equations informed our simulations.',
  'The incidence was 12.4 per 100 000 person-years (95% CI 11.8–13.1).',
  'Kaplan-Meier curves are shown in Figure 3; log-rank p = 0.02.',
  'Plasma samples were drawn at 0 12 24 48 and 72 h after dosing.',
  'The ISBN of the handbook is 978-3-16-148410-0.',
  'Author ORCID: 0000-0002-1825-0097.',
  'Funding: NIH grant R01 HL123456 and Wellcome Trust award 212345/Z/18/Z.',
  'Patients seen in the clinic between 3 May 2016 and 2 May 2017 were screened.',
  'Overall, 5 432 of 12 890 patients (42.1%) received statins.',
  'The dose was escalated from 0.5 mg/kg to 2.0 mg/kg over 14 days.',
  'Genotyping used the Global Screening Array (v3.0) with 654 027 markers.',
  'Surgery was performed between 1 June 2017 and 31 May 2019 in 8 hospitals.',
  'The database was locked on 15 September 2018, before unblinding.',
  '2015년 1월부터 2018년 12월까지 3개 병원에서 환자를 모집하였다.',
  '연구 대상자(평균 연령 67세)는 2015년부터 2018년까지 등록되었다.',
  '患者の平均年齢は67歳で、2015年1月から2018年12月まで登録された。',
  'The code and data are archived at https://doi.org/10.5281/zenodo.7654321.',
  'PubMed IDs 34567890 and 35678901 were excluded as duplicates.',
  'The Springfield 2018 consensus statement (Table 2) was followed.',
  'Water (CAS 7732-18-5) was used as the solvent.',
  'Values were 12.4 ± 3.1, 17.9 ± 4.2 and 23.5 ± 5.0 in the three arms.',
  'Participants from Cook County, aged 40 to 60 years, were enrolled.',
  'The genome-wide threshold was 5 × 10−8, and 1 000 000 permutations were run.',
  'Hospital admission rates fell by 12% between 2019 and 2021.',
  'The study population (N = 10 432) had a mean BMI of 27.3 kg/m².',
  'HEK293T cells (ATCC CRL-3216) were transfected with pUC19 (GenBank L09137).',
  'Enrolment started on 12 March 2020, and the last patient visit was on 30 June 2021.',
  'Arterial pH was 7.35 (7.30 7.41) on arrival in the intensive care unit.',
  'Les patients inclus entre le 1er janvier 2015 et le 31 décembre 2018 ont été suivis pendant 24 mois.',
  'Die Patienten (n = 1 204; medianes Alter 67 Jahre) wurden von 2015 bis 2018 eingeschlossen.',
  'Participants received two 100 µg doses of mRNA-1273 or placebo 28 days apart.',
];

test('raises at most one false alarm on normal biomedical sentences', () => {
  assert.ok(negatives.length >= 40);
  const flagged = negatives.map((sentence) => ({ sentence, findings: findIdentifiers(sentence) })).filter((entry) => entry.findings.length > 0);
  assert.ok(flagged.length <= 1, flagged.map((entry) => `${entry.sentence} → ${entry.findings.map((f) => `${f.kind} “${f.text}”`).join(', ')}`).join('\n'));
});

test('an eligibility window and spaced thousands are not identifiers', () => {
  assert.deepEqual(findIdentifiers('Patients admitted between 1 January 2015 and 31 December 2018 were eligible.'), []);
  assert.deepEqual(findIdentifiers('Malaria threatens 125 000 000 people each year.'), []);
  assert.deepEqual(findIdentifiers('Patients admitted from 1 January 2015 to 31 December 2018 were eligible.'), []);
});

test('redaction removes whole names with accents and curly apostrophes', () => {
  const text = 'Mr. Seán Ó Briain was reviewed. Ó Briain and James O’Connor, 67 years old, shared a room; O’Connor slept.';
  assert.equal(redactIdentifiers(text, findIdentifiers(text)), 'Mr. [REDACTED-NAME] was reviewed. Ó [REDACTED-NAME] and [REDACTED-NAME], 67 years old, shared a room; [REDACTED-NAME] slept.');
  const accented = 'Patient: José Álvarez. Álvarez reported no pain.';
  assert.equal(redactIdentifiers(accented, findIdentifiers(accented)), 'Patient: [REDACTED-NAME]. [REDACTED-NAME] reported no pain.');
});

test('a Korean name with its birth date is redacted as name and date of birth', () => {
  const text = '김민수(1962년 3월 14일생)는 흉통으로 내원하였다. 김민수는 흡연자이다.';
  assert.deepEqual(
    findIdentifiers(text).map((finding) => [finding.kind, finding.text]),
    [
      ['name', '김민수'],
      ['dateOfBirth', '1962년 3월 14일'],
      ['name', '김민수'],
    ],
  );
  assert.equal(redactIdentifiers(text, findIdentifiers(text)), '[REDACTED-NAME]([REDACTED-DOB]생)는 흉통으로 내원하였다. [REDACTED-NAME]는 흡연자이다.');
});

test('unlabelled national numbers must pass their check digit; labelled ones need not', () => {
  // 123456789 fails the Dutch 11-check, 4010232138 the NHS mod-11 check, the Chinese id its ISO 7064 check.
  assert.deepEqual(findIdentifiers('De patiënt legitimeerde zich met 123456789 bij de balie.'), []);
  assert.deepEqual(findIdentifiers('Referral letter quotes 4010232138 as her identifier.'), []);
  assert.deepEqual(findIdentifiers('患者证件 110105194912310021 已核对。'), []);
  assert.deepEqual(findIdentifiers('Codice RSSMRA85T10A562T allegato.'), []);
  assert.deepEqual(
    findIdentifiers('BSN 123456789').map((finding) => [finding.kind, finding.text]),
    [['nationalId', '123456789']],
  );
});

test('hostile input is scanned without catastrophic backtracking', () => {
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const size = 200_000;
  const pick = (alphabet: string): string => Array.from({ length: size }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  const words = ['Anna', 'Berg', 'Seán', 'Ó', 'O’Connor', 'Straße', 'Rue', 'Via', 'Patient:', 'Mr.', 'José', 'Álvarez', 'De', 'van', 'Road'];
  const capitalised: string[] = [];
  for (let length = 0; length < size; ) {
    const word = words[Math.floor(random() * words.length)];
    capitalised.push(word);
    length += word.length + 1;
  }
  const hostile = [
    pick('0123456789 -'),
    pick('0123456789  --+()'),
    '1-'.repeat(size / 2),
    '1 '.repeat(size / 2),
    '12 '.repeat(size / 3),
    capitalised.join(' '),
    'Aa'.repeat(size / 2),
    'a.'.repeat(size / 2),
    ' '.repeat(size),
  ];
  for (const text of hostile) assert.ok(Array.isArray(findIdentifiers(text)));
});

function safeExists(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
