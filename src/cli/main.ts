import { runCheck } from './commands/check';
import { runCite } from './commands/cite';
import { runAbstract } from './commands/abstract';
import { runTranslate } from './commands/translate';
import { runRefs } from './commands/refs';

/** A CLI subcommand: takes its arguments, returns the exit code. */
type Subcommand = (args: readonly string[]) => Promise<number>;

const subcommands: Readonly<Record<string, Subcommand>> = {
  check: runCheck,
  cite: runCite,
  abstract: runAbstract,
  translate: runTranslate,
  refs: runRefs,
};

const usage = `Usage: biowrite <command> [options]

Commands:
  check FILE…       mark claims without sources (text, json or sarif)
  cite              find sources for sentences in a library or online
  refs MANUSCRIPT…  audit the bibliography: real, current and cited correctly
  abstract FILE     draft an abstract with the configured LLM
  translate FILE    translate a manuscript, keeping its markup intact

Run \`biowrite <command> --help\` for a command's options.`;

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(`${usage}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    process.stdout.write(`${process.env.BIOWRITE_VERSION ?? 'biowrite'}\n`);
    return 0;
  }
  const subcommand = subcommands[name];
  if (!subcommand) {
    process.stderr.write(`biowrite: unknown command '${name}'.\n\n${usage}\n`);
    return 2;
  }
  return subcommand(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`biowrite: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
