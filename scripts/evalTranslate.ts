/**
 * `npm run eval:translate`: translates the deep-review manuscript (../shared/data/manuscripts/deep-review/original.md)
 * through the real OpenAI client and a fake model that alters every placeholder, citation and math span it is
 * shown, then counts independently how many protected spans came back byte-identical (all must).
 * A second pass runs on test/fixtures/writing/markupHeavy.md, which has math, code, LaTeX citations and
 * front matter. Exits non-zero when any span is not byte-identical.
 */
import { readFileSync, existsSync } from 'node:fs';
import { OpenAiLlmClient } from '../src/core/llm/openaiClient';
import { verifySpansPreserved, type ProtectedKind } from '../src/core/writing/markupFreeze';
import { translateManuscript, type TranslationResult } from '../src/core/writing/translateManuscript';
import { startFakeOpenAiServer } from '../test/fakes/fakeOpenAiServer';
import { createManglingTranslator, type ManglingStats } from '../test/fakes/manglingTranslator';

/** The manuscript the eval translates. */
export const deepReviewPath = '../shared/data/manuscripts/deep-review/original.md';

/** One eval's figures. */
export interface EvalFigures {
  readonly file: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly protectedTotal: number;
  readonly intact: number;
  readonly alteredByModel: number;
  readonly rawMarkupAltered: number;
  readonly result: TranslationResult;
  readonly stats: ManglingStats;
  readonly translatedChanged: boolean;
}

/**
 * Runs the eval on one file.
 * @param file The manuscript's path.
 * @returns The figures.
 */
export async function evalTranslateFile(file: string): Promise<EvalFigures> {
  const source = readFileSync(file, 'utf8');
  const server = await startFakeOpenAiServer();
  const mangler = createManglingTranslator();
  server.setHandler(mangler.handler);
  try {
    const client = new OpenAiLlmClient({ baseUrl: server.baseUrl, model: 'fake-model', maxRetries: 0 });
    const result = await translateManuscript({ client, source, format: file.endsWith('.tex') ? 'latex' : 'markdown', targetLanguage: 'fr', signal: new AbortController().signal });
    const check = verifySpansPreserved(result.spans, source, result.text);
    const by = (...kinds: ProtectedKind[]) => kinds.reduce((sum, kind) => sum + result.protectedCounts[kind], 0);
    return {
      file,
      counts: {
        citations: by('citation'),
        'math spans': by('math', 'displayMath'),
        'cross-refs': by('crossRef'),
        'code spans/blocks': by('code', 'codeBlock'),
        URLs: by('url'),
        comments: by('comment'),
        'labels/attributes': by('label'),
        'front matter': by('frontMatter'),
        'HTML/LaTeX commands': by('html', 'latexCommand', 'literal'),
      },
      protectedTotal: result.spans.length,
      intact: check.intact,
      alteredByModel: mangler.stats.placeholdersAltered,
      rawMarkupAltered: mangler.stats.rawMarkupAltered,
      result,
      stats: mangler.stats,
      translatedChanged: result.text !== source,
    };
  } finally {
    await server.close();
  }
}

function print(figures: EvalFigures): void {
  const { result } = figures;
  console.log(`\n== ${figures.file}`);
  console.log(`protected: ${Object.entries(figures.counts).map(([name, count]) => `${name} ${count}`).join(', ')} (total ${figures.protectedTotal})`);
  console.log(`fake model altered: ${figures.alteredByModel} placeholders in its answers (raw markup it could see and alter: ${figures.rawMarkupAltered})`);
  console.log(`byte-identical after translation: ${figures.intact}/${figures.protectedTotal}${figures.intact === figures.protectedTotal ? ' (all)' : ' — FAILED'}`);
  console.log(`chunks: ${result.chunks} (${result.chunksSent} sent to the model), requests ${figures.stats.requests}, retries ${result.retries}, chunks needing a placeholder repair ${result.repairedChunks} (${result.repairs} repairs), chunks kept untranslated ${result.chunksKept}`);
  console.log(`text translated: ${figures.translatedChanged ? 'yes' : 'NO'}`);
}

async function main(): Promise<number> {
  const files = [deepReviewPath, 'test/fixtures/writing/markupHeavy.md', 'test/fixtures/writing/markupHeavy.tex'].filter((file) => {
    if (existsSync(file)) return true;
    console.log(`skipped ${file}: not found`);
    return false;
  });
  let failed = false;
  for (const file of files) {
    const figures = await evalTranslateFile(file);
    print(figures);
    if (figures.intact !== figures.protectedTotal || !figures.translatedChanged) failed = true;
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && /evalTranslate\.ts$/.test(process.argv[1])) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
